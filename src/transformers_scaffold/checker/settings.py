"""Checker settings from `[tool.scaffold]` in the checked repository's `pyproject.toml`.

```toml
[tool.scaffold]
select = ["SCF"]                 # code prefixes; default: every rule
ignore = ["SCF208"]              # code prefixes switched off
exclude = ["src/transformers/models/deprecated/*"]
per-file-ignores = {"src/transformers/commands/*" = ["SCF312"]}

[tool.scaffold.rule-options.large-file]   # keyed by rule NAME
max-kb = 512
```
Command-line `--select/--ignore` replace the file's values.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from transformers_scaffold.errors import UserError

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


@dataclass
class Settings:
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
    table = {**table, **table.get("check", {})}  # `[tool.scaffold.check]` works too
    settings = Settings()
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


def parse_codes(raw: str | None, known: set[str], flag: str) -> tuple[str, ...] | None:
    """`"SCF1,SCF201"` -> prefixes; every prefix must match a rule (typos are usage errors)."""
    if raw is None:
        return None
    codes = tuple(c.strip().upper() for c in raw.split(",") if c.strip())
    for code in codes:
        if code != "ALL" and not any(k.startswith(code) for k in known):
            raise UserError(f"{flag} {code}: no rule has that code; see `docs/checks/README.md` for the list")
    return () if "ALL" in codes else codes
