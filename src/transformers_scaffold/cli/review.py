"""`scaffold review`: post `scaffold check` findings on a pull request (inline, summary, status)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Annotated

import typer

from transformers_scaffold.errors import UserError

_SEVERITIES = ("error", "warning", "info")


def _severities(value: str, option: str) -> frozenset[str]:
    chosen = frozenset(s.strip() for s in value.split(",") if s.strip())
    unknown = sorted(chosen - set(_SEVERITIES))
    if unknown:
        raise UserError(f"{option} got {', '.join(unknown)}; use a comma-separated subset of {', '.join(_SEVERITIES)}")
    return chosen


def command(
    findings: Annotated[Path, typer.Option("--findings", help="The JSON written by `scaffold check --format json`.")],
    repo_slug: Annotated[
        str | None, typer.Option("--repo-slug", help="OWNER/NAME; default: from GITHUB_EVENT_PATH.")
    ] = None,
    pr: Annotated[
        int | None, typer.Option("--pr", help="Pull request number; default: from GITHUB_EVENT_PATH.")
    ] = None,
    api_url: Annotated[
        str | None,
        typer.Option("--api-url", help="GitHub (Enterprise) API URL; default: $GITHUB_API_URL or api.github.com."),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the review as JSON; post nothing.")] = False,
    fail_on: Annotated[str, typer.Option("--fail-on", help="Severities that make the status fail.")] = "error",
    request_changes_on: Annotated[
        str,
        typer.Option("--request-changes-on", help="Severities that make the review REQUEST_CHANGES (default: never)."),
    ] = "",
    max_inline: Annotated[
        int, typer.Option("--max-inline", min=1, max=200, help="Open inline threads of the bot per PR (all runs).")
    ] = 30,
    filter_mode: Annotated[
        str, typer.Option("--filter-mode", help="added, diff_context, file or nofilter (reviewdog's modes).")
    ] = "nofilter",
    fail_level: Annotated[
        str,
        typer.Option(
            "--fail-level", help="Exit 1 when a reported finding is this severe: none, any, info, warning, error."
        ),
    ] = "none",
    suppressed_by_pr: Annotated[
        str,
        typer.Option(
            "--suppressed-by-pr", help="fail: findings the PR silenced keep the status red; report: list only."
        ),
    ] = "fail",
    check_conclusion: Annotated[
        str | None,
        typer.Option(
            "--check-conclusion", help="The check run's conclusion; anything but success posts a failure status."
        ),
    ] = None,
    bot_login: Annotated[
        list[str] | None, typer.Option("--bot-login", help="Login whose earlier comments count as ours (repeatable).")
    ] = None,
) -> None:
    """Post the findings on the PR: inline comments on changed lines, one summary, a status.

    The token comes from GITHUB_TOKEN and never appears in any output.
    """
    # Imported here so `scaffold --help` does not pay for github3 and jsonschema.
    from transformers_scaffold.review.builder import FILTER_MODES, ReviewConfig
    from transformers_scaffold.review.run import FAIL_LEVELS, ReviewOptions, run_review
    from transformers_scaffold.review.sanitize import redact

    for option, value, allowed in (
        ("--filter-mode", filter_mode, FILTER_MODES),
        ("--fail-level", fail_level, FAIL_LEVELS),
        ("--suppressed-by-pr", suppressed_by_pr, ("fail", "report")),
    ):
        if value not in allowed:
            raise UserError(f"{option} got {value[:40]!r}; use one of {', '.join(allowed)}")
    if check_conclusion is not None and not check_conclusion.replace("_", "").isalpha():
        raise UserError(f"--check-conclusion got {check_conclusion[:40]!r}; pass the workflow_run conclusion")

    token = os.environ.get("GITHUB_TOKEN") or None
    options = ReviewOptions(
        findings=findings,
        repo_slug=repo_slug,
        pr=pr,
        api_url=api_url or os.environ.get("GITHUB_API_URL") or "https://api.github.com",
        token=token,
        dry_run=dry_run,
        event_path=None if (repo_slug and pr) else os.environ.get("GITHUB_EVENT_PATH") or None,
        repository_env=os.environ.get("GITHUB_REPOSITORY") or None,
        config=ReviewConfig(
            max_inline=max_inline,
            fail_on=_severities(fail_on, "--fail-on"),
            request_changes_on=_severities(request_changes_on, "--request-changes-on"),
            filter_mode=filter_mode,  # type: ignore[arg-type]
            suppressed_by_pr=suppressed_by_pr,  # type: ignore[arg-type]
        ),
        bot_logins=tuple(bot_login or ()),
        fail_level=fail_level,
        check_conclusion=check_conclusion or None,
    )
    outcome = run_review(options, sleep=time.sleep)
    secrets = [token or ""]
    if outcome.skipped:
        typer.echo(redact(f"scaffold review: nothing posted: {outcome.skipped}", secrets))
        return
    plan = outcome.plan
    assert plan is not None
    if dry_run:
        typer.echo(redact(json.dumps(plan.as_dict(), indent=2, ensure_ascii=False), secrets))
        if outcome.fails(fail_level):
            raise typer.Exit(1)
        return
    new = outcome.new_comments
    extra = ""
    if outcome.resolved:
        extra += f"; resolved {outcome.resolved} fixed thread{'s' if outcome.resolved != 1 else ''}"
    if outcome.dismissed:
        extra += f"; dismissed {outcome.dismissed} earlier review{'s' if outcome.dismissed != 1 else ''}"
    typer.echo(
        redact(
            f"scaffold review: {new} new inline comment{'s' if new != 1 else ''}{extra}; "
            f"summary {outcome.summary_url or 'not needed'}; status {plan.status.state} ({plan.status.description})",
            secrets,
        )
    )
    if outcome.fails(fail_level):
        raise typer.Exit(1)
