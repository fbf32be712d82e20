"""`scaffold review` end to end: validate the artifact, read the PR, plan, post, summarize, status.

The artifact is validated before the PR is read, so a tampered file fails fast; the only write it
then causes is a `failure` status saying why. Once the PR's head is known the status is `pending`,
and it always ends as `success` or `failure`: when the bot itself fails, the failure status names
the reason before the one-line error. Posting a review is re-planned rather than blindly retried:
a 422 moves the refused comments into the summary, and a 5xx re-reads which comments landed.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from transformers_scaffold.errors import UserError
from transformers_scaffold.review.builder import (
    PriorRun,
    PriorThread,
    ReviewConfig,
    ReviewPlan,
    StatusPlan,
    build_review,
)
from transformers_scaffold.review.event import Target, resolve_target
from transformers_scaffold.review.findings import (
    MAX_ARTIFACT_BYTES,
    SEVERITIES,
    Artifact,
    ArtifactUnreadable,
    load_findings,
)
from transformers_scaffold.review.github_adapter import (
    PUBLIC_API_URL,
    GitHubClient,
    GraphQLError,
    PullState,
    ReviewOutcomeUnknown,
    ReviewRefused,
)
from transformers_scaffold.review.sanitize import one_line

MAX_REVIEW_ATTEMPTS = 4
FAIL_LEVELS = ("none", "any", *SEVERITIES)


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
    fail_level: str = "none"  # reviewdog's -fail-level: the exit code, not the status
    check_conclusion: str | None = None  # the check run's conclusion, from the workflow_run event


@dataclass(frozen=True)
class ReviewOutcome:
    plan: ReviewPlan | None
    posted_review: bool = False
    summary_url: str | None = None
    skipped: str | None = None
    new_comments: int = 0
    resolved: int = 0
    dismissed: int = 0

    def fails(self, level: str) -> bool:
        """Whether `--fail-level level` turns this outcome into exit code 1."""
        if self.plan is None or self.plan.worst is None or level == "none":
            return False
        if level == "any":
            return True
        return SEVERITIES.index(self.plan.worst) <= SEVERITIES.index(level)


def _status(options: ReviewOptions, state: str, description: str) -> StatusPlan:
    return StatusPlan(state, one_line(description, 140), options.config.status_context)  # type: ignore[arg-type]


def run_review(
    options: ReviewOptions,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
) -> ReviewOutcome:
    target = resolve_target(options.repo_slug, options.pr, options.event_path, options.repository_env)
    if not options.dry_run and not options.token:
        raise UserError(
            "GITHUB_TOKEN is not set; export a token that may write pull requests and statuses, or use --dry-run"
        )
    artifact: Artifact | None = None
    problem: UserError | None = None
    if options.check_conclusion in (None, "success"):
        try:
            artifact = load_findings(options.findings, max_bytes=options.max_bytes)
        except ArtifactUnreadable:
            raise
        except UserError as exc:
            if options.dry_run:
                raise
            problem = exc
    client = GitHubClient(options.api_url, options.token, sleep=sleep, clock=clock)
    sha: str | None = target.head_sha
    try:
        outcome, sha = _review(options, target, client, artifact, problem, sleep)
        return outcome
    except UserError as exc:
        if not options.dry_run and sha:
            _report_failure(client, options, target, sha, str(exc))
        raise


def _report_failure(client: GitHubClient, options: ReviewOptions, target: Target, sha: str, reason: str) -> None:
    """Best effort: the status says the bot failed and why, so the PR never looks reviewed."""
    # If GitHub itself is what failed, this fails too; the job's own error line says so.
    with contextlib.suppress(UserError):
        client.set_status_on(str(target.slug), sha, _status(options, "failure", f"scaffold review failed: {reason}"))


def _review(
    options: ReviewOptions,
    target: Target,
    client: GitHubClient,
    artifact: Artifact | None,
    problem: UserError | None,
    sleep: Callable[[float], None],
) -> tuple[ReviewOutcome, str | None]:
    bots = client.bot_logins() | frozenset(options.bot_logins)
    slug = str(target.slug)
    number = target.number
    if number is None:
        number = client.find_pull(slug, str(target.head_owner), str(target.head_branch), str(target.head_sha))
        if number is None:
            skipped = f"no open pull request has head {target.head_owner}:{target.head_branch}"
            return ReviewOutcome(None, skipped=skipped), None
    if problem is not None:
        sha = target.head_sha or client.head_sha(slug, number)
        client.set_status_on(
            slug, sha, _status(options, "failure", f"scaffold review refused the artifact: {problem}")
        )
        raise problem
    state = client.load(slug, number, frozenset(bots))
    if target.head_sha and state.head_sha != target.head_sha:
        skipped = f"PR #{number} has moved on to {state.head_sha[:12]}; the run for that commit will review it"
        return ReviewOutcome(None, skipped=skipped), None
    sha = state.head_sha
    if options.check_conclusion == "running":  # the check has only started: say so, post nothing else
        if not options.dry_run:
            client.set_status(state, sha, _status(options, "pending", "scaffold check is running"), None)
        return ReviewOutcome(None, skipped="the check run is still running; a pending status says so"), sha
    if artifact is None:  # the check run did not succeed: no findings, but never no status
        status = _status(options, "failure", f"the check run ended with '{options.check_conclusion}'; see its log")
        if not options.dry_run:
            client.set_status(state, sha, status, target_url=None)
        return ReviewOutcome(None, skipped=f"the check run ended with {options.check_conclusion!r}"), sha
    if not options.dry_run:
        client.set_status(state, sha, _status(options, "pending", "scaffold review is posting the findings"), None)

    def plan_for(refused: frozenset[str] = frozenset(), reason: str = "") -> ReviewPlan:
        return build_review(
            artifact.findings,
            state.files,
            commit_sha=state.head_sha,
            prior=state.prior,
            config=options.config,
            refused=refused,
            refused_reason=reason,
            skipped=artifact.skipped,
        )

    plan = plan_for()
    if options.dry_run:
        return ReviewOutcome(plan), sha
    plan, new = _post_review(client, state, bots, plan, plan_for, sleep)
    resolved = 0
    for node_id in plan.resolve:
        try:
            client.resolve_thread(node_id)
            resolved += 1
        except GraphQLError:
            pass  # the thread stays open; the summary still lists the finding as fixed
    message = f"Every blocking finding of scaffold review is gone as of {sha[:12]}."
    for review_id in plan.dismiss:
        client.dismiss_review(state, review_id, message)
    summary_url = None
    summary_error: UserError | None = None
    if plan.summary:
        try:
            summary_url = client.upsert_summary(state, plan.summary)
        except UserError as exc:
            summary_error = exc
    status = plan.status
    if summary_error is not None:
        status = replace(status, state="failure", description=(status.description + "; summary not posted")[:140])
    client.set_status(state, sha, status, target_url=summary_url)
    if summary_error is not None:
        raise summary_error
    outcome = ReviewOutcome(
        plan,
        posted_review=new > 0,
        summary_url=summary_url,
        new_comments=new,
        resolved=resolved,
        dismissed=len(plan.dismiss),
    )
    return outcome, sha


def _post_review(
    client: GitHubClient,
    state: PullState,
    bots: frozenset[str],
    plan: ReviewPlan,
    plan_for: Callable[[frozenset[str], str], ReviewPlan],
    sleep: Callable[[float], None],
) -> tuple[ReviewPlan, int]:
    """Post the review; returns the final plan and how many new inline comments landed."""
    refused: frozenset[str] = frozenset()
    reason = ""
    downgraded = False
    landed_before = 0
    for attempt in range(1, MAX_REVIEW_ATTEMPTS + 1):
        if not plan.comments:
            return plan, landed_before
        try:
            client.create_review(state, plan)
            return plan, landed_before + len(plan.comments)
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
            landed_before += len({c.fingerprint for c in plan.comments} & landed)
            state.prior = replace(state.prior, posted=state.prior.posted | landed)
            state.prior = _with_landed_threads(state.prior, landed)
        plan = plan_for(refused, reason)
        if downgraded:
            plan = replace(plan, event="COMMENT")
    # Out of attempts with comments still refused one by one: list the rest in the summary too.
    return plan_for(refused | {c.fingerprint for c in plan.comments}, reason), landed_before


def _with_landed_threads(prior: PriorRun, landed: frozenset[str]) -> PriorRun:
    """After a 5xx that still wrote, count the landed comments as open threads of ours."""
    if not prior.threads:
        return prior
    known = {t.fingerprint for t in prior.threads}
    extra = tuple(PriorThread(f"landed-{fp}", fp) for fp in sorted(landed - known))
    return replace(prior, threads=prior.threads + extra)
