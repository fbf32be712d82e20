from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from transformers_scaffold.checker import ruffpin
from transformers_scaffold.checker.api import Finding, Rule
from transformers_scaffold.checker.context import CheckContext
from transformers_scaffold.checker.ruffrun import relpath, ruff_fix, ruff_format


class RuffFormat(Rule):
    """What it does
    Runs `ruff format --check` with the repository's settings and reports each file that would
    be reformatted, at the first line that changes.

    Why is this bad?
    Formatting noise hides the real change in review, and upstream CI rejects unformatted code.

    Example
    ```python
    x=1  # would be reformatted to `x = 1`
    ```

    Fix safety
    Safe: `--fix` runs `ruff format` on the file, which never changes behaviour.
    """

    CODE = "SCF002"
    MIRRORS = "ruff format --check (make style; the fork's pinned ruff)"
    NAME = "ruff-format"
    SUMMARY = "file is not formatted with ruff format"
    SCOPE = "file"
    FIXABLE = True

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for item in ruff_format(ctx):
            loc = item.get("location") or {}
            yield self.finding(
                relpath(ctx, item["filename"]),
                int(loc.get("row", 1)),
                "file would be reformatted by ruff format",
                fix="ruff format <file>",
                fixable=True,
            )

    def fingerprint(self, root: Path) -> str:
        return ruffpin.environment()

    def prefetch(self, ctx: CheckContext) -> None:
        ruff_format(ctx)

    def fix(self, ctx: CheckContext, findings: list[Finding]) -> None:
        ruff_fix(ctx, sorted({f.path for f in findings}), formatter=True)
