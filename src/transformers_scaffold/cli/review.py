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
    max_inline: Annotated[int, typer.Option("--max-inline", min=1, max=50, help="Inline comments per review.")] = 30,
    bot_login: Annotated[
        list[str] | None, typer.Option("--bot-login", help="Login whose earlier comments count as ours (repeatable).")
    ] = None,
) -> None:
    """Post the findings on the PR: inline comments on changed lines, one summary, a status.

    The token comes from GITHUB_TOKEN and never appears in any output.
    """
    # Imported here so `scaffold --help` does not pay for github3 and jsonschema.
    from transformers_scaffold.review.builder import ReviewConfig
    from transformers_scaffold.review.run import ReviewOptions, run_review
    from transformers_scaffold.review.sanitize import redact

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
        ),
        bot_logins=tuple(bot_login or ()),
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
        return
    new = len(plan.comments) if outcome.posted_review else 0
    typer.echo(
        redact(
            f"scaffold review: {new} new inline comment{'s' if new != 1 else ''}; "
            f"summary {outcome.summary_url or 'not needed'}; status {plan.status.state} ({plan.status.description})",
            secrets,
        )
    )
