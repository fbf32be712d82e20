"""Which PR and commit to review, from the command line or the Actions event payload.

In the safe set-up the review runs on `workflow_run`, whose payload names the commit the check ran
on (`head_sha`) but, for PRs from forks, carries an empty `pull_requests` list; the PR is then
found by its head `owner:branch` and confirmed by that sha (see `run`). The payload is written by
GitHub, not by the PR, so it is trusted; the findings artifact is not.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from transformers_scaffold.errors import UserError

_SLUG = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
MAX_EVENT_BYTES = 25 * 1024 * 1024


@dataclass(frozen=True)
class Target:
    slug: str | None = None
    number: int | None = None
    head_sha: str | None = None
    head_owner: str | None = None
    head_branch: str | None = None


def check_slug(slug: str) -> str:
    if not _SLUG.match(slug) or slug.split("/", 1)[1] in (".", ".."):
        raise UserError(f"--repo-slug {slug[:100]!r} is not OWNER/NAME; pass it like `huggingface/transformers`")
    return slug


def target_from_event(path: Path) -> Target:
    """Slug, PR number and head commit from a `GITHUB_EVENT_PATH` payload."""
    try:
        if path.stat().st_size > MAX_EVENT_BYTES:
            raise UserError(f"event payload {str(path)[:200]!r} is too large to be a GitHub event")
        payload: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(
            f"cannot read the event payload {str(path)[:200]!r} ({exc}); pass --repo-slug and --pr instead"
        ) from None
    if not isinstance(payload, dict):
        raise UserError("the event payload is not a JSON object; pass --repo-slug and --pr instead")
    slug = (payload.get("repository") or {}).get("full_name")
    if isinstance(payload.get("pull_request"), dict):  # pull_request, pull_request_target, review events
        pull = payload["pull_request"]
        return Target(slug=slug, number=pull.get("number"), head_sha=(pull.get("head") or {}).get("sha"))
    run = payload.get("workflow_run")
    if isinstance(run, dict):
        head_sha = run.get("head_sha")
        number = None
        for pull in run.get("pull_requests") or []:
            if (pull.get("head") or {}).get("sha") in (None, head_sha):
                number = pull.get("number")
                break
        head_repo = run.get("head_repository") or {}
        return Target(
            slug=slug,
            number=number,
            head_sha=head_sha,
            head_owner=(head_repo.get("owner") or {}).get("login"),
            head_branch=run.get("head_branch"),
        )
    return Target(slug=slug)


def resolve_target(slug: str | None, number: int | None, event_path: str | None, repository_env: str | None) -> Target:
    """Command-line values win over the event payload, which wins over `GITHUB_REPOSITORY`."""
    target = target_from_event(Path(event_path)) if event_path else Target()
    if slug:
        target = replace(target, slug=slug)
    if number is not None:
        # A PR named explicitly is reviewed at its current head, not the event's commit.
        target = replace(target, number=number, head_sha=None if number != target.number else target.head_sha)
    if not target.slug and repository_env:
        target = replace(target, slug=repository_env)
    if not target.slug:
        raise UserError("no repository to review: pass --repo-slug OWNER/NAME (or run inside GitHub Actions)")
    check_slug(target.slug)
    if target.number is None and not (target.head_owner and target.head_branch and target.head_sha):
        raise UserError("no pull request to review: pass --pr N (or run on a pull_request or workflow_run event)")
    if target.number is not None and (not isinstance(target.number, int) or target.number < 1):
        raise UserError(f"--pr must be a positive pull request number, got {target.number!r}")
    return target
