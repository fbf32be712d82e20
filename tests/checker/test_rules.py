"""Every rule against its seeded fixture: fires exactly on the marked lines; `--fix` repairs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.checker.fixtures import FIXTURES, expected_marks, fixed_snapshots, materialise
from transformers_scaffold.checker.api import Rule
from transformers_scaffold.checker.runner import CheckOptions, run_check
from transformers_scaffold.checks import RULES

CODES = [rule.CODE for rule in RULES]


def _run(root: Path, code: str, changed: bool, fix: bool = False):
    opts = CheckOptions(
        root=root, changed=changed, select=(code,), use_cache=False, fix=fix, tests=code == "SCF401", jobs=1
    )
    return run_check(opts)


@pytest.mark.parametrize("code", CODES)
def test_rule_fires_exactly_on_marked_lines(code: str, tmp_path: Path) -> None:
    assert (FIXTURES / code).is_dir(), f"no fixture for {code}"
    root, changed = materialise(code, tmp_path)
    expected = expected_marks(code, root)
    assert expected, f"fixture {code} marks no line"
    rule = next(r for r in RULES if code == r.CODE)
    if rule.EMITS == "TRF":
        pytest.importorskip("mlinter", reason="transformers-mlinter (the mlinter extra) is not installed")
    report = _run(root, code, changed)
    mine = [f for f in report.findings if f.code == code or (rule.EMITS and f.code.startswith(rule.EMITS))]
    found = {(f.path, f.line) for f in mine}
    assert found == expected
    assert mine == report.findings


@pytest.mark.parametrize("code", [rule.CODE for rule in RULES if rule.FIXABLE])
def test_fix_repairs_every_fixable_finding(code: str, tmp_path: Path) -> None:
    root, changed = materialise(code, tmp_path)
    before = _run(root, code, changed).findings
    assert any(f.can_fix for f in before), f"{code} is FIXABLE but its fixture has no fixable finding"
    fixed = _run(root, code, changed, fix=True)
    assert fixed.fixed >= 1
    unfixable = {(f.path, f.message) for f in before if not f.can_fix}
    assert {(f.path, f.message) for f in fixed.findings} == unfixable
    again = _run(root, code, changed)
    assert {(f.path, f.message) for f in again.findings} == unfixable
    for path, text in fixed_snapshots(code).items():
        assert (root / path).read_text() == text, f"fixed {path} differs from its snapshot"


def test_edit_based_fixes_have_snapshots() -> None:
    edit_fixers = [r.CODE for r in RULES if r.FIXABLE and r.fix is Rule.fix]
    assert edit_fixers and all(fixed_snapshots(code) for code in edit_fixers)
