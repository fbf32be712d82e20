from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from transformers_scaffold.checker import ruffpin
from transformers_scaffold.checker.api import Finding, Rule
from transformers_scaffold.checker.context import CheckContext
from transformers_scaffold.checker.ruffrun import relpath, ruff_check, ruff_fix


class RuffLint(Rule):
    """What it does
    Runs `ruff check` with the repository's own ruff settings and reports each violation,
    prefixed with ruff's code (`F401 ...`).

    Why is this bad?
    Upstream CI runs the same linter (`make style`); a PR that fails it bounces before any
    human looks at it.

    Example
    ```python
    import os  # F401 `os` imported but unused
    ```

    Fix safety
    `--fix` runs `ruff check --fix`, which applies only the fixes ruff marks as safe.
    """

    CODE = "SCF001"
    MIRRORS = "ruff check (make style; the fork's pinned ruff)"
    NAME = "ruff-lint"
    SUMMARY = "ruff check violations (the repository's own ruff settings)"
    FIXABLE = True

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for item in ruff_check(ctx):
            loc, end = item.get("location") or {}, item.get("end_location") or {}
            fix = item.get("fix") or {}
            safe = fix.get("applicability") == "safe"
            hint = fix.get("message") or ("ruff check --fix" if safe else None)
            yield self.finding(
                relpath(ctx, item["filename"]),
                int(loc.get("row", 1)),
                f"{item.get('code') or 'E999'} {item['message']}",
                col=int(loc.get("column", 1)),
                end_line=int(end.get("row", loc.get("row", 1))),
                fix=hint,
                fixable=safe,
            )

    def fingerprint(self, root: Path) -> str:
        return ruffpin.environment()

    def prefetch(self, ctx: CheckContext) -> None:
        ruff_check(ctx)

    def fix(self, ctx: CheckContext, findings: list[Finding]) -> None:
        ruff_fix(ctx, sorted({f.path for f in findings}), formatter=False)
