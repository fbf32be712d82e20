"""The catalogue's own rules: every module registered, codes unique, docs headings present."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

from tests.checker.fixtures import FIXTURES
from transformers_scaffold.checker.api import DOC_HEADINGS, FileRule, Rule
from transformers_scaffold.checks import RULES

CHECKS_DIR = Path(__file__).resolve().parents[2] / "checks"
RULE_MODULES = sorted(p.stem for p in CHECKS_DIR.glob("*.py") if not p.name.startswith("_"))


def test_every_rule_module_is_registered() -> None:
    registered = {rule.__module__.rsplit(".", 1)[-1] for rule in RULES}
    assert registered == set(RULE_MODULES)


@pytest.mark.parametrize("module", RULE_MODULES)
def test_each_module_defines_exactly_one_registered_rule(module: str) -> None:
    mod = importlib.import_module(f"transformers_scaffold.checks.{module}")
    rules = [
        v for v in vars(mod).values() if isinstance(v, type) and issubclass(v, Rule) and v.__module__ == mod.__name__
    ]
    assert len(rules) == 1
    assert rules[0] in RULES


def test_codes_and_names_are_unique_and_well_formed() -> None:
    codes = [r.CODE for r in RULES]
    names = [r.NAME for r in RULES]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"SCF\d{3}", c) for c in codes)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", n) for n in names)
    assert codes == sorted(codes), "keep the registry in code order"
    assert len(RULES) >= 30


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.CODE)
def test_rule_docstring_has_every_heading_and_a_fixture(rule: type[Rule]) -> None:
    lines = [line.strip() for line in (rule.__doc__ or "").splitlines()]
    for heading in DOC_HEADINGS:
        assert heading in lines, f"{rule.CODE} docstring lacks the heading {heading!r}"
    assert rule.SUMMARY and rule.SEVERITY in ("error", "warning", "info")
    assert (FIXTURES / rule.CODE).is_dir()
    if issubclass(rule, FileRule):
        assert rule.FILES


def test_rules_never_import_transformers_or_the_runner() -> None:
    sources = list(CHECKS_DIR.glob("*.py")) + list(
        (CHECKS_DIR.parent / "src/transformers_scaffold/checker").glob("*.py")
    )
    for path in sources:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                assert not (name == "transformers" or name.startswith("transformers.")), f"{path.name} imports {name}"
                if path.parent == CHECKS_DIR:
                    assert "runner" not in name and "reporters" not in name, (
                        f"{path.name} imports {name}: rules import only the rule API"
                    )
