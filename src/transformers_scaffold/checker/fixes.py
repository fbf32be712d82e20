"""Apply fixes: a finding's line `Edit`s, or its rule's own fixer (ruff runs its own)."""

from __future__ import annotations

from collections import defaultdict

from transformers_scaffold.checker.api import Edit, Finding, Rule
from transformers_scaffold.checker.context import CheckContext


def apply_edits(ctx: CheckContext, edits: list[Edit]) -> set[str]:
    """Apply non-overlapping edits bottom-up per file; overlapping ones wait for the next round."""
    by_path: dict[str, list[Edit]] = defaultdict(list)
    for edit in edits:
        by_path[edit.path].append(edit)
    touched: set[str] = set()
    for path, items in by_path.items():
        target = ctx.root / path
        lines = target.read_text(encoding="utf-8").splitlines(keepends=True) if target.exists() else []
        lowest = len(lines) + 2
        for edit in sorted(set(items), key=lambda e: (e.start_line, e.end_line), reverse=True):
            if edit.end_line >= lowest:
                continue  # overlaps an edit already applied below; the rerun picks it up
            lines[edit.start_line - 1 : edit.end_line] = [edit.text] if edit.text else []
            lowest = edit.start_line
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("".join(lines), encoding="utf-8")
        touched.add(path)
    return touched


def apply_fixes(ctx: CheckContext, rules: list[type[Rule]], findings: list[Finding]) -> int:
    """Returns how many findings had a fix applied."""
    edits = [e for f in findings for e in f.edits]
    apply_edits(ctx, edits)
    count = sum(1 for f in findings if f.edits)
    by_code = {r.CODE: r for r in rules}
    custom: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.fixable and not finding.edits:
            custom[finding.code].append(finding)
    for code in sorted(custom):
        by_code[code](ctx.settings).fix(ctx, custom[code])
        count += len(custom[code])
    return count
