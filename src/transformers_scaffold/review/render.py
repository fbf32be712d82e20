"""Markdown for inline comments, the review body and the sticky summary.

All finding text is untrusted and passes through `sanitize` here, at the last moment, so the
builder can reason about raw values and nothing unescaped can reach GitHub.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from transformers_scaffold.review.findings import Finding
from transformers_scaffold.review.markers import SUMMARY_MARKER, Seen, encode_state, fingerprint_marker
from transformers_scaffold.review.sanitize import code_span, markdown_text

if TYPE_CHECKING:
    from transformers_scaffold.review.builder import Placed
    from transformers_scaffold.review.overrides import Overrides

MAX_LIST_ITEMS = 100
MAX_BODY_CHARS = 60_000  # GitHub refuses comment bodies over 65,536 characters
_ICON = {"error": "❌", "warning": "⚠️", "info": "ℹ️"}  # noqa: RUF001
_SECTIONS = (
    (
        "off-diff",
        "Not on changed lines",
        "These are in files this PR touches but outside its diff, so they cannot be inline comments.",
    ),
    (
        "over-limit",
        "Over the inline-comment limit",
        "The PR already carries its budget of open inline threads from this bot; they are posted as earlier ones are resolved.",
    ),
    ("refused", "GitHub refused these inline comments", ""),
)


def _headline(finding: Finding) -> str:
    name = f" ({markdown_text(finding.name, 80)})" if finding.name else ""
    return f"{_ICON[finding.severity]} **{finding.severity}** · {code_span(finding.code, 20)}{name}"


def render_comment(fingerprint: str, finding: Finding, suggest: bool = False) -> str:
    lines = [_headline(finding), "", markdown_text(finding.message)]
    if finding.fix:
        autofix = " (`scaffold check --fix` applies it)" if finding.fixable else ""
        lines += ["", f"**Fix:** {markdown_text(finding.fix)}{autofix}"]
    if suggest and finding.suggestion is not None:
        lines += ["", *suggestion_block(finding.suggestion[2])]
    lines += ["", fingerprint_marker(fingerprint)]
    return "\n".join(lines)


def suggestion_block(text: str) -> list[str]:
    """A GitHub suggestion: applying it replaces the commented lines with `text` verbatim.

    The fence is longer than any backtick run in `text`, so the content cannot close it; the
    bot's fingerprint stays the comment's last line, after the fence.
    """
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    body = text[:-1] if text.endswith("\n") else text
    return [f"{fence}suggestion", *([body] if text else []), fence]


def render_review_body(new_comments: int, commit_sha: str) -> str:
    noun = "finding" if new_comments == 1 else "findings"
    return (
        f"**scaffold review** found {new_comments} new {noun} on lines this PR changes "
        f"(commit {code_span(commit_sha[:12], 20)}). The summary comment lists everything, "
        "including findings outside the diff."
    )


def _location(path: str, line: int) -> str:
    return f"{code_span(path)} line {int(line)}" if line else f"{code_span(path)} (whole file)"


def _bullet(finding: Finding) -> str:
    return f"- {_headline(finding)} {_location(finding.path, finding.line)}: {markdown_text(finding.message, 300)}"


def _capped(items: Sequence[str]) -> list[str]:
    shown = list(items[:MAX_LIST_ITEMS])
    if len(items) > MAX_LIST_ITEMS:
        shown.append(f"- … and {len(items) - MAX_LIST_ITEMS} more (run `scaffold check` locally for all of them)")
    return shown


def render_summary(
    *,
    commit_sha: str,
    placed: Iterable[Placed],
    fixed: Sequence[Seen],
    counts: Mapping[str, int],
    status_state: str,
    fail_on: Sequence[str],
    refused_reason: str,
    open_now: Sequence[Seen],
    suppressed: Sequence[tuple[Seen, str]] = (),
    skipped: Sequence[str] = (),
    filtered_out: tuple[int, str] = (0, "nofilter"),
    overrides: Overrides | None = None,
    budget: int = 0,
) -> str:
    placed = list(placed)
    total = sum(counts.values())
    inline = sum(1 for p in placed if p.placement in ("inline", "posted"))
    out = [SUMMARY_MARKER, "## scaffold review", ""]
    tally = ", ".join(f"{counts[s]} {s}" for s in ("error", "warning", "info"))
    verdict = "passes" if status_state == "success" else "fails"
    gate = ", ".join(fail_on) or "nothing"
    out.append(
        f"Commit {code_span(commit_sha[:12], 20)}: **{total} finding{'' if total == 1 else 's'}** ({tally}). "
        f"The `scaffold/review` status {verdict} (it fails on: {gate})."
    )
    if total:
        out.append(f"{inline} {'is' if inline == 1 else 'are'} commented inline on the changed lines.")
    elif not suppressed and not skipped:
        out.append("No findings: nothing left to fix. 🎉")
    if filtered_out[0]:
        out.append(
            f"{filtered_out[0]} finding{'' if filtered_out[0] == 1 else 's'} outside the "
            f"`{filtered_out[1]}` filter mode {'is' if filtered_out[0] == 1 else 'are'} not reported."
        )
    if overrides is not None and overrides.untrusted:
        what = ", ".join(code_span(p) for p in overrides.workflows[:5]) or "`[tool.scaffold]` in pyproject.toml"
        out += [
            "",
            f"⚠️ This PR edits {what}: these findings come from the PR's own configuration, "
            "so they cannot vouch for it. Review those changes as code.",
        ]
    if suppressed:
        out += ["", f"### Suppressed by this PR ({len(suppressed)})"]
        out.append("These disappeared because this PR silenced them, not because they were fixed.")
        out += _capped(
            [
                f"- 🔕 {code_span(s.code, 20)} {_location(s.path, s.line)}: {markdown_text(why, 200)}"
                for s, why in suppressed
            ]
        )
    if skipped:
        out += ["", f"### Invalid entries in the findings artifact ({len(skipped)})"]
        out.append("`scaffold check` never writes these; they were skipped and keep the status red.")
        out += _capped([f"- {markdown_text(item, 200)}" for item in skipped])
    if fixed:
        out += ["", f"### Fixed since the last run ({len(fixed)})"]
        out += _capped([f"- ✅ {code_span(s.code, 20)} {_location(s.path, s.line)}" for s in fixed])
    for placement, title, note in _SECTIONS:
        group = [p.finding for p in placed if p.placement == placement]
        if not group:
            continue
        out += ["", f"### {title} ({len(group)})"]
        reason = markdown_text(refused_reason, 200) if placement == "refused" and refused_reason else note
        if placement == "over-limit" and budget:
            reason = f"{note} (budget: {budget} per PR.)"
        if reason:
            out.append(reason)
        out += _capped([_bullet(f) for f in group])
    out += [
        "",
        "<sub>Posted by `scaffold review` from the findings of `scaffold check`; edited in place on every push.</sub>",
    ]
    state = encode_state(open_now)
    body = "\n".join(out)
    if len(body) + len(state) + 1 > MAX_BODY_CHARS:
        body = body[: MAX_BODY_CHARS - len(state) - 80].rsplit("\n", 1)[0] + "\n\n… (summary truncated)"
    return body + "\n" + state
