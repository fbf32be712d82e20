"""Render findings: text for people, JSON for the review bot, GitHub annotations, SARIF."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence

from transformers_scaffold.checker.api import SEVERITIES, Finding, Rule

JSON_VERSION = 2  # 2 added each finding's `edits` (what `--fix` would write), for review suggestions
TOOL = "transformers-scaffold"
_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


_COLORS = {"error": "31", "warning": "33", "info": "36", "path": "1", "fix": "32", "dim": "2"}


def severity_counts(findings: Sequence[Finding]) -> dict[str, int]:
    """Findings per severity, every severity present (0 when none)."""
    counts = Counter(f.severity for f in findings)
    return {s: counts.get(s, 0) for s in SEVERITIES}


def render_text(
    findings: Sequence[Finding],
    rules: Sequence[type[Rule]],
    files: int,
    fixed: int = 0,
    color: bool = False,
    notes: Sequence[str] = (),
) -> str:
    """Grouped by file, one line per finding, the fix hint indented under it, a summary last.

    `color` adds ANSI colours (the CLI asks for them on a terminal only; CI and pipes get plain text)."""

    def paint(text: str, style: str) -> str:
        return f"\033[{_COLORS[style]}m{text}\033[0m" if color else text

    out: list[str] = []
    current = None
    for f in sorted(findings, key=lambda f: f.sort_key):
        if f.path != current:
            if current is not None:
                out.append("")
            out.append(paint(f.path, "path"))
            current = f.path
        mark = " [*]" if f.can_fix else ""
        out.append(
            f"  {paint(f'{f.line}:{f.col}', 'dim')} {paint(f.code, f.severity)} {f.severity}: {f.message}{mark}"
        )
        if f.fix:
            out.append(paint(f"      fix: {f.fix}", "fix"))
    if findings:
        out.append("")
    counts = Counter(f.code for f in findings)
    summary = ", ".join(f"{code} x{n}" for code, n in sorted(counts.items()))
    fixable = sum(1 for f in findings if f.can_fix)
    tail = f" ({fixable} fixable with --fix)" if fixable else ""
    out.extend(f"note: {n}" for n in notes)
    if fixed:
        out.append(f"Fixed {fixed} finding(s).")
    if findings:
        out.append(
            f"Found {len(findings)} finding(s) in {files} file(s) checked with {len(rules)} rules{tail}: {summary}"
        )
    else:
        out.append(f"All clear: {files} file(s) checked with {len(rules)} rules.")
    return "\n".join(out) + "\n"


def _json_finding(finding: Finding) -> dict[str, object]:
    data = finding.to_json()
    if finding.edits:
        data["edits"] = [
            {"path": e.path, "start_line": e.start_line, "end_line": e.end_line, "text": e.text} for e in finding.edits
        ]
    return data


def to_json_document(findings: Sequence[Finding], notes: Sequence[str] = ()) -> dict[str, object]:
    from transformers_scaffold import __version__

    return {
        "version": JSON_VERSION,
        "tool": TOOL,
        "tool_version": __version__,
        "counts": severity_counts(findings),
        "notes": list(notes),
        "findings": [_json_finding(f) for f in findings],
    }


def render_json(
    findings: Sequence[Finding], rules: Sequence[type[Rule]], files: int, fixed: int = 0, notes: Sequence[str] = ()
) -> str:
    return json.dumps(to_json_document(findings, notes), indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(
    findings: Sequence[Finding], rules: Sequence[type[Rule]], files: int, fixed: int = 0, notes: Sequence[str] = ()
) -> str:
    """GitHub Actions workflow commands (`::error file=...,line=...::message`)."""
    lines = [f"::notice title=scaffold check::{_escape_data(n)}" for n in notes]
    for f in findings:
        props = f"file={_escape_property(f.path)},line={f.line},endLine={f.last_line},col={f.col}"
        props += f",title={_escape_property(f'{f.code} {f.name}')}"
        message = f.message + (f" (fix: {f.fix})" if f.fix else "")
        lines.append(f"::{_GITHUB_LEVEL[f.severity]} {props}::{_escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def render_sarif(
    findings: Sequence[Finding], rules: Sequence[type[Rule]], files: int, fixed: int = 0, notes: Sequence[str] = ()
) -> str:
    from transformers_scaffold.checker.sarif import sarif_document

    return json.dumps(sarif_document(findings, rules), indent=2) + "\n"


REPORTERS: dict[str, Callable[..., str]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
}
