"""The fork's own conventions, read from the tools and checks it ships (full forks only).

- the doc-page date line, as `utils/add_dates.py` writes and checks it;
- the allowlists of `utils/check_config_attributes.py`, `check_config_docstrings.py`, `check_repo.py`;
- the ruff version `setup.py` / `pyproject.toml` pins;
- mlinter's `utils/rules.toml` (which TRF rules are on, and their per-model allowlists).

Each is read statically (module-level literals, `ast`), and each falls back to the Transformers 5.24
default when the fork does not ship the file (the PyPI sdist has no `utils/`).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

# 5.24's wording (the sdist's model pages and `add-new-model-like`); `{release_date}` stays a
# literal placeholder until the paper's date is known, as upstream's tool leaves it.
DEFAULT_DATE_REGEX = (
    r"\*This model was released on (.+) and added to Hugging Face Transformers on (\d{4}-\d{2}-\d{2})\.\*"
)
DEFAULT_DATE_TEMPLATE = "*This model was released on {release_date} and added to Hugging Face Transformers on {date}.*"
DEFAULT_RUFF = "0.14.10"  # what transformers 5.24.0's setup.py pins

CONFIG_ATTRIBUTE_LISTS = ("SPECIAL_CASES_TO_ALLOW", "ATTRIBUTES_TO_ALLOW")
CONFIG_DOCSTRING_LISTS = ("CONFIG_CLASSES_TO_IGNORE_FOR_DOCSTRING_CHECKPOINT_CHECK",)
CHECK_REPO_LISTS = (
    "PRIVATE_MODELS",
    "IGNORE_NON_TESTED",
    "TEST_FILES_WITH_NO_COMMON_TESTS",
    "IGNORE_NON_AUTO_CONFIGURED",
    "DEPRECATED_OBJECTS",
    "UNDOCUMENTED_OBJECTS",
    "SHOULD_HAVE_THEIR_OWN_PAGE",
)


@dataclass(frozen=True)
class DateLine:
    """How a model page states its dates: `regex` finds a valid line, `template` writes one."""

    regex: str = DEFAULT_DATE_REGEX
    template: str = DEFAULT_DATE_TEMPLATE
    source: str = "transformers 5.24 default"

    def render(self, date: str, release_date: str = "{release_date}") -> str:
        return self.template.replace("{release_date}", release_date).replace("{date}", date)

    def matches(self, text: str) -> bool:
        return re.search(self.regex.removeprefix(r"\n"), text) is not None


@dataclass(frozen=True)
class MlinterRules:
    version: int | None = None
    enabled: dict[str, bool] = field(default_factory=dict)  # TRF code -> default_enabled
    allowlists: dict[str, tuple[str, ...]] = field(default_factory=dict)  # TRF code -> model modules


def literal_assignments(text: str, names: tuple[str, ...]) -> dict[str, Any]:
    """Module-level `NAME = <literal>` values of `names`; `a + b` of literals is joined, non-literal
    items of a list/dict are dropped (a check's allowlist sometimes mixes in a computed entry)."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return {}
    out: dict[str, Any] = {}
    known: dict[str, Any] = {}  # every literal assigned so far: `PRIVATE_MODELS.copy() + [...]` refers back
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            targets, value = statement.targets, statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets, value = [statement.target], statement.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                literal = _literal(value, known)
                if literal is None:
                    continue
                known[target.id] = literal
                if target.id in names:
                    out[target.id] = literal
    return out


def function_lists(text: str, function: str, names: tuple[str, ...]) -> dict[str, Any]:
    """Literal `NAME = [...]` values assigned inside `def function` (check_repo's `_ignore_modules`
    of `get_model_modules`)."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return {}
    out: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == function:
            for statement in ast.walk(node):
                if isinstance(statement, ast.Assign):
                    for target in statement.targets:
                        if isinstance(target, ast.Name) and target.id in names:
                            literal = _literal(statement.value, {})
                            if literal is not None:
                                out[target.id] = literal
    return out


def startswith_exemptions(text: str, function: str) -> tuple[str, ...]:
    """Prefixes `function` exempts outright: `if name.startswith("Blt"): return True` (check_repo's
    `ignore_undocumented`). Compound conditions are left out: they exempt less than the prefix."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return ()
    out: list[str] = []
    for node in tree.body:
        if not (isinstance(node, ast.FunctionDef) and node.name == function):
            continue
        for statement in ast.walk(node):
            if not isinstance(statement, ast.If) or not statement.body:
                continue
            test, first = statement.test, statement.body[0]
            returns_true = (
                isinstance(first, ast.Return) and isinstance(first.value, ast.Constant) and first.value.value is True
            )
            if (
                returns_true
                and isinstance(test, ast.Call)
                and isinstance(test.func, ast.Attribute)
                and test.func.attr == "startswith"
                and len(test.args) == 1
                and isinstance(test.args[0], ast.Constant)
                and isinstance(test.args[0].value, str)
            ):
                out.append(test.args[0].value)
    return tuple(out)


def _literal(node: ast.expr, known: dict[str, Any]) -> Any:
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        pass
    if isinstance(node, ast.Name):
        return known.get(node.id)
    if (  # NAME.copy()
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "copy"
        and not node.args
    ):
        return _literal(node.func.value, known)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left, known), _literal(node.right, known)
        if isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
            return [*left, *right]
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [v for v in (_literal(e, known) for e in node.elts) if v is not None]
    if isinstance(node, ast.Dict):
        return {
            k.value: v
            for k, v in ((k, _literal(v, known)) for k, v in zip(node.keys, node.values, strict=False))
            if isinstance(k, ast.Constant) and v is not None
        }
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"set", "frozenset", "tuple", "list"}
    ):
        return _literal(node.args[0], known) if node.args else []
    return None


def _template_of(node: ast.JoinedStr) -> str:
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(str(value.value))
        elif isinstance(value, ast.FormattedValue):
            name = ast.unparse(value.value)
            parts.append("{release_date}" if "release" in name else "{date}")
    return "".join(parts)


def read_date_line(text: str) -> DateLine | None:
    """The date line of a fork's `utils/add_dates.py`: the regex it checks, the line it writes.

    Of the lines it writes, the one with a release-date slot is taken (upstream leaves
    `{release_date}` as a placeholder when no paper is known, and its check accepts that).
    """
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    regex = None
    templates: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            if "This model was" in node.value.value and any(
                isinstance(t, ast.Name) and "pattern" in t.id.lower() for t in node.targets
            ):
                regex = node.value.value
        elif isinstance(node, ast.JoinedStr):
            template = _template_of(node)
            if "This model was" in template and "{date}" in template:
                templates.append(template.strip("\n"))
    if regex is None or not templates:
        return None
    template = next((t for t in templates if "{release_date}" in t), templates[0])
    line = DateLine(regex=regex, template=template, source="utils/add_dates.py")
    return line if line.matches(line.render("2026-01-01")) else None


_RUFF_PIN = re.compile(r"""["']ruff\s*==\s*([0-9][0-9a-z.]*)["']""")


def read_ruff_pin(*texts: str | None) -> str | None:
    """The `ruff==X` pin of setup.py's `_deps` (or pyproject's dependencies), first found."""
    for text in texts:
        match = _RUFF_PIN.search(text or "")
        if match:
            return match[1]
    return None


def read_mlinter_rules(text: str) -> MlinterRules | None:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        return None
    enabled = {code: bool(r.get("default_enabled", True)) for code, r in rules.items() if isinstance(r, dict)}
    allow = {
        code: tuple(str(m) for m in r.get("allowlist_models", []) or [])
        for code, r in rules.items()
        if isinstance(r, dict)
    }
    version = data.get("version")
    return MlinterRules(version if isinstance(version, int) else None, enabled, allow)


@dataclass(frozen=True)
class ConfigAttributeAllowlist:
    """`utils/check_config_attributes.py`: attributes allowed to be unused, per config class and everywhere."""

    per_class: dict[str, Any] = field(default_factory=dict)  # config class -> [attrs] or True
    everywhere: tuple[str, ...] = ()  # names or regexes (upstream matches them with re.search)

    def allows(self, config_class: str, attribute: str) -> bool:
        special = self.per_class.get(config_class)
        if special is True or (isinstance(special, (list, tuple)) and attribute in special):
            return True
        return any(re.search(pattern, attribute) for pattern in self.everywhere)

    def for_class(self, config_class: str) -> Any:
        return self.per_class.get(config_class)
