"""Build the review: findings + PR diff + what is already posted -> what to post. Pure, no I/O.

Every finding the filter mode keeps lands in exactly one place: a new inline comment (on a
RIGHT-side diff line, within the PR's inline budget), "already commented" (its fingerprint is on an
open thread of ours), or a summary section (off the diff, over the budget, refused by GitHub). The
summary is one sticky issue comment that also records which findings were open, so the next run
can say what was fixed, and what was only silenced by the PR itself. When nothing blocks any more,
the plan also names the bot's own threads to resolve and `CHANGES_REQUESTED` reviews to dismiss.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from transformers_scaffold.review.diff import FileDiff
from transformers_scaffold.review.findings import SEVERITIES, Finding
from transformers_scaffold.review.markers import Seen, fingerprint_all
from transformers_scaffold.review.overrides import pr_overrides
from transformers_scaffold.review.render import render_comment, render_review_body, render_summary

Placement = Literal["inline", "posted", "off-diff", "over-limit", "refused"]
FilterMode = Literal["added", "diff_context", "file", "nofilter"]
FILTER_MODES: tuple[str, ...] = ("added", "diff_context", "file", "nofilter")
STATUS_CONTEXT = "scaffold/review"
MAX_INLINE_PER_PR = 30
MAX_INLINE_PER_REVIEW = MAX_INLINE_PER_PR  # the name before the budget became per PR
_SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class ReviewConfig:
    max_inline: int = MAX_INLINE_PER_PR  # open inline threads of the bot on the PR, all runs together
    fail_on: frozenset[str] = frozenset({"error"})
    request_changes_on: frozenset[str] = frozenset()
    status_context: str = STATUS_CONTEXT
    filter_mode: FilterMode = "nofilter"
    # "fail": findings silenced by the PR itself (suppression, [tool.scaffold], workflows) keep the
    # status red like open ones; "report": they are only listed.
    suppressed_by_pr: Literal["fail", "report"] = "fail"


@dataclass(frozen=True)
class PriorThread:
    """One inline thread the bot opened: GraphQL node id, fingerprint, and whether it can be resolved."""

    node_id: str
    fingerprint: str
    resolved: bool = False
    human_replied: bool = False


@dataclass(frozen=True)
class PriorRun:
    """What earlier runs left on the PR (only comments the bot itself authored count)."""

    posted: frozenset[str] = frozenset()
    open_before: tuple[Seen, ...] = ()
    summary_exists: bool = False
    threads: tuple[PriorThread, ...] = ()  # empty when GraphQL is not available
    changes_requested: tuple[int, ...] = ()  # ids of the bot's reviews still CHANGES_REQUESTED

    def active(self) -> frozenset[str]:
        """Fingerprints that count as commented: open threads, and threads a person resolved while
        the finding stayed open. A thread the bot resolved (its finding was fixed) does not count,
        so a finding that comes back is commented again."""
        if not self.threads:
            return self.posted
        was_open = {seen.fingerprint for seen in self.open_before}
        return frozenset(t.fingerprint for t in self.threads if not t.resolved or t.fingerprint in was_open)

    def open_threads(self) -> int:
        if not self.threads:
            return len(self.posted)
        return sum(1 for t in self.threads if not t.resolved)


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
    state: Literal["success", "failure", "pending", "error"]
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
    suppressed: tuple[tuple[Seen, str], ...] = ()  # gone because this PR silenced them, and why
    resolve: tuple[str, ...] = ()  # GraphQL ids of the bot's threads whose finding is fixed
    dismiss: tuple[int, ...] = ()  # the bot's CHANGES_REQUESTED reviews, once nothing blocks
    filtered_out: int = 0
    worst: str | None = None  # most severe reported finding (for --fail-level)

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
            "suppressed_by_pr": [{"fingerprint": s.fingerprint, "reason": why} for s, why in self.suppressed],
            "resolve_threads": list(self.resolve),
            "dismiss_reviews": list(self.dismiss),
        }


def _priority(pair: tuple[str, Finding]) -> tuple[int, str, int, str]:
    finding = pair[1]
    return (_SEVERITY_RANK[finding.severity], finding.path, finding.line, finding.code)


def _kept(finding: Finding, files: Mapping[str, FileDiff], mode: str) -> bool:
    """reviewdog's filter modes: which findings the review reports at all."""
    if mode == "nofilter":
        return True
    diff = files.get(finding.path)
    if diff is None:
        return False
    if mode == "file":
        return True
    if mode == "added":
        return finding.line == 0 or diff.added_range(finding.line, finding.end_line)
    return finding.line == 0 or diff.anchor(finding.line, finding.end_line) is not None


def _anchor(finding: Finding, diff: FileDiff | None, mode: str) -> tuple[int | None, int] | None:
    if diff is None or finding.line == 0:
        return None
    if finding.suggestion is not None:
        # A suggestion replaces exactly the commented lines, so it needs its whole range in one hunk.
        first, last, _ = finding.suggestion
        hunk = diff.hunk_containing(first)
        if hunk is not None and last <= hunk[1] and (mode != "added" or diff.added_range(first, last)):
            return (first if first < last else None, last)
    if mode == "added" and not diff.added_range(finding.line, finding.end_line):
        return None
    return diff.anchor(finding.line, finding.end_line)


def build_review(
    findings: Iterable[Finding],
    files: Mapping[str, FileDiff],
    *,
    commit_sha: str,
    prior: PriorRun | None = None,
    config: ReviewConfig | None = None,
    refused: frozenset[str] = frozenset(),
    refused_reason: str = "",
    skipped: tuple[str, ...] = (),
) -> ReviewPlan:
    """Decide every finding's place and render the payloads.

    `refused` holds fingerprints GitHub rejected (422) on an earlier attempt of this same run:
    they move to the summary so the review can be retried without them. `skipped` names artifact
    entries that failed validation; they are listed and keep the status red.
    """
    prior = prior or PriorRun()
    config = config or ReviewConfig()
    everything = fingerprint_all(findings)
    pairs = sorted(((fp, f) for fp, f in everything if _kept(f, files, config.filter_mode)), key=_priority)
    current = {fp for fp, _ in everything}
    gone = [seen for seen in prior.open_before if seen.fingerprint not in current]
    overrides = pr_overrides(files)
    suppressed = tuple((s, why) for s in gone if (why := overrides.silenced(s.path)))
    silenced = {s.fingerprint for s, _ in suppressed}
    fixed = tuple(s for s in gone if s.fingerprint not in silenced)
    fixed_fps = {s.fingerprint for s in fixed}
    resolve = tuple(
        t.node_id for t in prior.threads if t.fingerprint in fixed_fps and not t.resolved and not t.human_replied
    )
    posted = prior.active()
    # The budget counts the bot's open threads on the PR, minus the ones this run resolves.
    budget = max(config.max_inline - (prior.open_threads() - len(resolve)), 0)
    comments: list[InlineComment] = []
    placed: list[Placed] = []
    for fp, finding in pairs:
        placement: Placement
        anchor = _anchor(finding, files.get(finding.path), config.filter_mode)
        if fp in posted:
            placement = "posted"
        elif anchor is None:
            placement = "off-diff"
        elif fp in refused:
            placement = "refused"
        elif len(comments) >= budget:
            placement = "over-limit"
        else:
            placement = "inline"
            start_line, line = anchor
            suggest = finding.suggestion is not None and (start_line or line, line) == finding.suggestion[:2]
            comments.append(InlineComment(fp, finding, line, start_line, render_comment(fp, finding, suggest)))
        placed.append(Placed(fp, finding, placement))

    counts = {severity: sum(1 for _, f in pairs if f.severity == severity) for severity in SEVERITIES}
    reasons = []
    if any(f.severity in config.fail_on for _, f in pairs):
        reasons.append("findings")
    if config.suppressed_by_pr == "fail":
        if any(s.severity in config.fail_on or not s.severity for s, _ in suppressed):
            reasons.append("suppressed by this PR")
        if overrides.untrusted and config.fail_on:
            reasons.append("PR edits the check's workflows or [tool.scaffold]")
    if skipped:
        reasons.append("invalid artifact entries")
    failing = bool(reasons)
    changes = any(f.severity in config.request_changes_on for _, f in pairs)
    status = StatusPlan(
        state="failure" if failing else "success",
        description=_status_description(counts, len(fixed), len(suppressed), len(skipped)),
        context=config.status_context,
    )
    dismiss = prior.changes_requested if not failing and not changes else ()
    filtered_out = len(everything) - len(pairs)
    summary = None
    if pairs or prior.summary_exists or skipped or suppressed or filtered_out or overrides.untrusted:
        summary = render_summary(
            commit_sha=commit_sha,
            placed=placed,
            fixed=fixed,
            counts=counts,
            status_state=status.state,
            fail_on=sorted(config.fail_on, key=_SEVERITY_RANK.__getitem__),
            refused_reason=refused_reason,
            open_now=[Seen(fp, f.code, f.path, f.line, f.severity) for fp, f in everything],
            suppressed=suppressed,
            skipped=skipped,
            filtered_out=(filtered_out, config.filter_mode),
            overrides=overrides,
            budget=config.max_inline,
        )
    worst = min((f.severity for _, f in pairs), key=_SEVERITY_RANK.__getitem__, default=None)
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
        suppressed=suppressed,
        resolve=resolve,
        dismiss=dismiss,
        filtered_out=filtered_out,
        worst=worst,
    )


def _status_description(counts: Mapping[str, int], fixed: int, suppressed: int = 0, skipped: int = 0) -> str:
    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    text = f"{plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, {counts['info']} info"
    if fixed:
        text += f"; {fixed} fixed since last run"
    if suppressed:
        text += f"; {suppressed} suppressed by this PR"
    if skipped:
        text += f"; {skipped} invalid entries skipped"
    return text[:140]  # GitHub's limit for a status description
