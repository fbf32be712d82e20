"""Build the review: findings + PR diff + what is already posted -> what to post. Pure, no I/O.

Every finding lands in exactly one place: a new inline comment (on a RIGHT-side diff line, at most
`max_inline` per review), "already commented" (its fingerprint is on a comment of ours), or a summary
section (off the diff, over the limit, refused by GitHub). The summary is one sticky issue comment
that also records which findings were open, so the next run can say what was fixed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from transformers_scaffold.review.diff import FileDiff
from transformers_scaffold.review.findings import SEVERITIES, Finding
from transformers_scaffold.review.markers import Seen, fingerprint_all
from transformers_scaffold.review.render import render_comment, render_review_body, render_summary

Placement = Literal["inline", "posted", "off-diff", "over-limit", "refused"]
STATUS_CONTEXT = "scaffold/review"
MAX_INLINE_PER_REVIEW = 30
_SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class ReviewConfig:
    max_inline: int = MAX_INLINE_PER_REVIEW
    fail_on: frozenset[str] = frozenset({"error"})
    request_changes_on: frozenset[str] = frozenset()
    status_context: str = STATUS_CONTEXT


@dataclass(frozen=True)
class PriorRun:
    """What earlier runs left on the PR (only comments the bot itself authored count)."""

    posted: frozenset[str] = frozenset()
    open_before: tuple[Seen, ...] = ()
    summary_exists: bool = False


@dataclass(frozen=True)
class InlineComment:
    fingerprint: str
    finding: Finding
    line: int
    start_line: int | None
    body: str

    def as_api(self) -> dict[str, Any]:
        """The comment as `POST .../pulls/{n}/reviews` takes it (line-based, never `position`)."""
        data: dict[str, Any] = {"path": self.finding.path, "line": self.line, "side": "RIGHT", "body": self.body}
        if self.start_line is not None:
            data.update(start_line=self.start_line, start_side="RIGHT")
        return data


@dataclass(frozen=True)
class Placed:
    fingerprint: str
    finding: Finding
    placement: Placement


@dataclass(frozen=True)
class StatusPlan:
    state: Literal["success", "failure"]
    description: str
    context: str = STATUS_CONTEXT


@dataclass(frozen=True)
class ReviewPlan:
    commit_sha: str
    comments: tuple[InlineComment, ...]
    event: Literal["COMMENT", "REQUEST_CHANGES"]
    review_body: str
    summary: str | None
    status: StatusPlan
    placed: tuple[Placed, ...] = ()
    fixed: tuple[Seen, ...] = ()
    counts: Mapping[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """What `--dry-run` prints: exactly the payloads the adapter would send."""
        return {
            "commit_sha": self.commit_sha,
            "review": None
            if not self.comments
            else {"event": self.event, "body": self.review_body, "comments": [c.as_api() for c in self.comments]},
            "summary": self.summary,
            "status": {
                "context": self.status.context,
                "state": self.status.state,
                "description": self.status.description,
            },
            "counts": dict(self.counts),
            "placements": [
                {
                    "fingerprint": p.fingerprint,
                    "code": p.finding.code,
                    "path": p.finding.path,
                    "line": p.finding.line,
                    "placement": p.placement,
                }
                for p in self.placed
            ],
            "fixed": [
                {"fingerprint": s.fingerprint, "code": s.code, "path": s.path, "line": s.line} for s in self.fixed
            ],
        }


def _priority(pair: tuple[str, Finding]) -> tuple[int, str, int, str]:
    finding = pair[1]
    return (_SEVERITY_RANK[finding.severity], finding.path, finding.line, finding.code)


def build_review(
    findings: Iterable[Finding],
    files: Mapping[str, FileDiff],
    *,
    commit_sha: str,
    prior: PriorRun | None = None,
    config: ReviewConfig | None = None,
    refused: frozenset[str] = frozenset(),
    refused_reason: str = "",
) -> ReviewPlan:
    """Decide every finding's place and render the payloads.

    `refused` holds fingerprints GitHub rejected (422) on an earlier attempt of this same run:
    they move to the summary so the review can be retried without them.
    """
    prior = prior or PriorRun()
    config = config or ReviewConfig()
    pairs = sorted(fingerprint_all(findings), key=_priority)
    comments: list[InlineComment] = []
    placed: list[Placed] = []
    for fp, finding in pairs:
        placement: Placement
        anchor = files[finding.path].anchor(finding.line, finding.end_line) if finding.path in files else None
        if fp in prior.posted:
            placement = "posted"
        elif anchor is None:
            placement = "off-diff"
        elif fp in refused:
            placement = "refused"
        elif len(comments) >= config.max_inline:
            placement = "over-limit"
        else:
            placement = "inline"
            start_line, line = anchor
            comments.append(InlineComment(fp, finding, line, start_line, render_comment(fp, finding)))
        placed.append(Placed(fp, finding, placement))

    current = {fp for fp, _ in pairs}
    fixed = tuple(seen for seen in prior.open_before if seen.fingerprint not in current)
    counts = {severity: sum(1 for _, f in pairs if f.severity == severity) for severity in SEVERITIES}
    failing = any(f.severity in config.fail_on for _, f in pairs)
    changes = any(f.severity in config.request_changes_on for _, f in pairs)
    status = StatusPlan(
        state="failure" if failing else "success",
        description=_status_description(counts, len(fixed)),
        context=config.status_context,
    )
    summary = None
    if pairs or prior.summary_exists:
        summary = render_summary(
            commit_sha=commit_sha,
            placed=placed,
            fixed=fixed,
            counts=counts,
            status_state=status.state,
            fail_on=sorted(config.fail_on, key=_SEVERITY_RANK.__getitem__),
            refused_reason=refused_reason,
            open_now=[Seen(fp, f.code, f.path, f.line) for fp, f in pairs],
        )
    return ReviewPlan(
        commit_sha=commit_sha,
        comments=tuple(comments),
        event="REQUEST_CHANGES" if changes else "COMMENT",
        review_body=render_review_body(len(comments), commit_sha),
        summary=summary,
        status=status,
        placed=tuple(placed),
        fixed=fixed,
        counts=counts,
    )


def _status_description(counts: Mapping[str, int], fixed: int) -> str:
    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    text = f"{plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, {counts['info']} info"
    if fixed:
        text += f"; {fixed} fixed since last run"
    return text[:140]  # GitHub's limit for a status description
