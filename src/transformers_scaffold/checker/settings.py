"""Checker settings from `[tool.scaffold]` in the checked repository's `pyproject.toml`.

```toml
[tool.scaffold]
select = ["SCF"]                 # code prefixes; default: every rule
ignore = ["SCF208"]              # code prefixes switched off
exclude = ["src/transformers/models/deprecated/*"]
per-file-ignores = {"src/transformers/commands/*" = ["SCF312"]}

fail-on = "error"                # error | warning | info: the lowest severity that fails the run

[tool.scaffold.rule-options.large-file]   # keyed by rule NAME
max-kb = 512
```
Command-line `--select/--ignore/--fail-on` replace the file's values.

Everything is validated before a rule runs (`validate`): an unknown key, an unknown code prefix,
a rule name without that option, or a value of the wrong type is a `UserError` naming the key
(exit 2): a typo must never switch the checker off silently.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from transformers_scaffold.errors import UserError

if TYPE_CHECKING:
    from transformers_scaffold.checker.api import Rule

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

# Test data (`tests/fixtures/`) holds deliberate oddities, not code under review.
DEFAULT_EXCLUDE = (
    ".git/*",
    "*/.git/*",
    ".cache/*",
    "*/__pycache__/*",
    ".venv/*",
    "*/.venv/*",
    "node_modules/*",
    "tests/fixtures/*",
)


KEYS = ("select", "ignore", "exclude", "per-file-ignores", "rule-options", "fail-on", "check")
FAIL_ON = ("error", "warning", "info")


@dataclass
class Settings:
    fail_on: str | None = None  # None: not set in the file
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)

    def option(self, rule_name: str, key: str, default: Any) -> Any:
        return self.rule_options.get(rule_name, {}).get(key, default)

    def enabled(self, code: str) -> bool:
        if self.select and not any(code.startswith(p) for p in self.select):
            return False
        return not any(code.startswith(p) for p in self.ignore)


def _strings(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UserError(f"[tool.scaffold] {key} must be a list of strings; fix pyproject.toml")
    return tuple(v.strip() for v in value if v.strip())


def load_settings(root: Path) -> Settings:
    """Read `[tool.scaffold]`; a missing file or table means defaults."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"{path} is not valid TOML ({exc}); fix the file or remove [tool.scaffold]") from exc
    table = data.get("tool", {}).get("scaffold", {})
    if not isinstance(table, dict):
        raise UserError("[tool.scaffold] in pyproject.toml must be a table")
    check = table.get("check", {})
    if not isinstance(check, dict):
        raise UserError("[tool.scaffold] check must be a table ([tool.scaffold.check]); fix pyproject.toml")
    table = {**{k: v for k, v in table.items() if k != "check"}, **check}  # `[tool.scaffold.check]` works too
    # `[tool.scaffold]` is shared with other commands' tables (e.g. `[tool.scaffold.review]`).
    unknown = sorted(k for k, v in table.items() if k not in KEYS and not (isinstance(v, dict) and k in OTHER_TABLES))
    if unknown:
        raise UserError(
            f"[tool.scaffold] {unknown[0]}: unknown setting; use one of {', '.join(KEYS[:-1])} (fix pyproject.toml)"
        )
    settings = Settings()
    if "fail-on" in table:
        settings.fail_on = parse_fail_on(table["fail-on"], "[tool.scaffold] fail-on")
    if "select" in table:
        settings.select = _strings(table["select"], "select")
    if "ignore" in table:
        settings.ignore = _strings(table["ignore"], "ignore")
    if "exclude" in table:
        settings.exclude = DEFAULT_EXCLUDE + _strings(table["exclude"], "exclude")
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise UserError("[tool.scaffold] per-file-ignores must map glob patterns to lists of codes")
    settings.per_file_ignores = {k: _strings(v, f"per-file-ignores.{k}") for k, v in pfi.items()}
    options = table.get("rule-options", {})
    if not isinstance(options, dict) or not all(isinstance(v, dict) for v in options.values()):
        raise UserError("[tool.scaffold.rule-options] must hold one table per rule name")
    settings.rule_options = options
    return settings


OTHER_TABLES: tuple[str, ...] = ("standalone",)  # tables of [tool.scaffold] that other readers own


def parse_fail_on(value: Any, where: str) -> str:
    if not isinstance(value, str) or value.strip().lower() not in FAIL_ON:
        raise UserError(f"{where} = {value!r}: must be one of {', '.join(FAIL_ON)}")
    return value.strip().lower()


def _type_name(expected: type | tuple[type, ...]) -> str:
    types = expected if isinstance(expected, tuple) else (expected,)
    return " or ".join(
        {"int": "an integer", "list": "a list", "str": "a string", "bool": "true/false"}.get(t.__name__, t.__name__)
        for t in types
    )


def validate(settings: Settings, rules: Sequence[type[Rule]]) -> None:
    """Every code prefix names a rule and every rule option exists with the right type."""
    known = known_codes(rules)
    for key, codes in (("select", settings.select), ("ignore", settings.ignore)):
        for code in codes:
            if code.upper() != "ALL" and not names_a_rule(code, known):
                raise UserError(
                    f"[tool.scaffold] {key}: {code} matches no rule; see docs/checks/README.md for the codes"
                )
    for pattern, codes in settings.per_file_ignores.items():
        for code in codes:
            if not names_a_rule(code, known):
                raise UserError(f"[tool.scaffold] per-file-ignores.{pattern!r}: {code} matches no rule; fix the code")
    by_name = {r.NAME: r for r in rules}
    for name, options in settings.rule_options.items():
        rule = by_name.get(name)
        if rule is None:
            raise UserError(
                f"[tool.scaffold.rule-options.{name}]: no rule is named {name!r}; use a rule name from docs/checks/"
            )
        for key, value in options.items():
            expected = rule.OPTIONS.get(key)
            if expected is None:
                allowed = ", ".join(rule.OPTIONS) or "none"
                raise UserError(f"[tool.scaffold.rule-options.{name}] {key}: unknown option (options: {allowed})")
            if (
                not isinstance(value, expected)
                or isinstance(value, bool)
                and bool not in (expected if isinstance(expected, tuple) else (expected,))
            ):
                raise UserError(
                    f"[tool.scaffold.rule-options.{name}] {key} = {value!r}: must be {_type_name(expected)}"
                )


FOREIGN = re.compile(r"^([A-Z]+)(\d*)$")


def names_a_rule(code: str, known: set[str]) -> bool:
    """A code prefix some rule has; `known` may hold bare prefixes of foreign codes ("TRF"), which
    accept any `TRF<digits>` (mlinter's codes, whichever linter version is installed)."""
    if any(k.startswith(code) for k in known):
        return True
    match = FOREIGN.match(code)
    return match is not None and match[1] in known


def known_codes(rules: Sequence[type[Rule]]) -> set[str]:
    return {r.CODE for r in rules} | {r.EMITS for r in rules if r.EMITS}


def parse_codes(raw: str | None, known: set[str], flag: str) -> tuple[str, ...] | None:
    """`"SCF1,SCF201"` -> prefixes; every prefix must match a rule (typos are usage errors)."""
    if raw is None:
        return None
    codes = tuple(c.strip().upper() for c in raw.split(",") if c.strip())
    for code in codes:
        if code != "ALL" and not names_a_rule(code, known):
            raise UserError(f"{flag} {code}: no rule has that code; see `docs/checks/README.md` for the list")
    return () if "ALL" in codes else codes
