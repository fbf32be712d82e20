"""`scaffold review` end to end: validate the artifact, read the PR, plan, post, summarize, status.

The artifact is validated before any network call, so a tampered file fails fast and posts nothing.
Posting a review is the only step that is re-planned rather than blindly retried: a 422 moves the
refused comments into the summary, and a 5xx re-reads which comments landed before trying again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from transformers_scaffold.errors import UserError
from transformers_scaffold.review.builder import ReviewConfig, ReviewPlan, build_review
from transformers_scaffold.review.event import resolve_target
from transformers_scaffold.review.findings import MAX_ARTIFACT_BYTES, load_findings
from transformers_scaffold.review.github_adapter import (
    PUBLIC_API_URL,
    GitHubClient,
    PullState,
    ReviewOutcomeUnknown,
    ReviewRefused,
)

MAX_REVIEW_ATTEMPTS = 4


@dataclass(frozen=True)
class ReviewOptions:
    findings: Path
    repo_slug: str | None = None
    pr: int | None = None
    api_url: str = PUBLIC_API_URL
    token: str | None = None
    dry_run: bool = False
    event_path: str | None = None
    repository_env: str | None = None
    config: ReviewConfig = field(default_factory=ReviewConfig)
    max_bytes: int = MAX_ARTIFACT_BYTES
    bot_logins: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReviewOutcome:
    plan: ReviewPlan | None
    posted_review: bool = False
    summary_url: str | None = None
    skipped: str | None = None


def run_review(
    options: ReviewOptions,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
) -> ReviewOutcome:
    findings = load_findings(options.findings, max_bytes=options.max_bytes)
    target = resolve_target(options.repo_slug, options.pr, options.event_path, options.repository_env)
    if not options.dry_run and not options.token:
        raise UserError(
            "GITHUB_TOKEN is not set; export a token that may write pull requests and statuses, or use --dry-run"
        )
    client = GitHubClient(options.api_url, options.token, sleep=sleep, clock=clock)
    bots = client.bot_logins() | frozenset(options.bot_logins)
    slug = str(target.slug)
    number = target.number
    if number is None:
        number = client.find_pull(slug, str(target.head_owner), str(target.head_branch), str(target.head_sha))
        if number is None:
            return ReviewOutcome(
                None, skipped=f"no open pull request has head {target.head_owner}:{target.head_branch}"
            )
    state = client.load(slug, number, bots)
    if target.head_sha and state.head_sha != target.head_sha:
        return ReviewOutcome(
            None,
            skipped=f"PR #{number} has moved on to {state.head_sha[:12]}; the run for that commit will review it",
        )

    def plan_for(refused: frozenset[str] = frozenset(), reason: str = "") -> ReviewPlan:
        return build_review(
            findings,
            state.files,
            commit_sha=state.head_sha,
            prior=state.prior,
            config=options.config,
            refused=refused,
            refused_reason=reason,
        )

    plan = plan_for()
    if options.dry_run:
        return ReviewOutcome(plan)
    plan, posted = _post_review(client, state, bots, plan, plan_for, sleep)
    summary_url = client.upsert_summary(state, plan.summary) if plan.summary else None
    client.set_status(state, state.head_sha, plan.status, target_url=summary_url)
    return ReviewOutcome(plan, posted_review=posted, summary_url=summary_url)


def _post_review(
    client: GitHubClient,
    state: PullState,
    bots: frozenset[str],
    plan: ReviewPlan,
    plan_for: Callable[[frozenset[str], str], ReviewPlan],
    sleep: Callable[[float], None],
) -> tuple[ReviewPlan, bool]:
    refused: frozenset[str] = frozenset()
    reason = ""
    downgraded = False
    for attempt in range(1, MAX_REVIEW_ATTEMPTS + 1):
        if not plan.comments:
            return plan, False
        try:
            client.create_review(state, plan)
            return plan, True
        except ReviewRefused as exc:
            named = {c.fingerprint for c in plan.comments if c.finding.path in exc.paths}
            if not named and plan.event == "REQUEST_CHANGES" and not downgraded:
                # e.g. "Can not request changes on your own pull request": the comments were fine.
                downgraded = True
            else:
                # GitHub usually does not say which comment it refused; then none of this batch is safe.
                refused |= named or {c.fingerprint for c in plan.comments}
                reason = f"GitHub answered 422 ({exc}) when they were posted inline, so they are listed here."
        except ReviewOutcomeUnknown as exc:
            if attempt == MAX_REVIEW_ATTEMPTS:
                raise UserError(
                    f"GitHub API: creating a review kept failing ({exc}); re-run the workflow later"
                ) from None
            sleep(2.0**attempt)
            # The failed call may have created the review: never post what already landed.
            landed = client.posted_fingerprints(state, bots)
            state.prior = replace(state.prior, posted=state.prior.posted | landed)
        plan = plan_for(refused, reason)
        if downgraded:
            plan = replace(plan, event="COMMENT")
    # Out of attempts with comments still refused one by one: list the rest in the summary too.
    return plan_for(refused | {c.fingerprint for c in plan.comments}, reason), False
