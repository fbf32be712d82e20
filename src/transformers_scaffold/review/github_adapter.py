"""The one module that imports github3: read a PR's state, post a review, a summary and a status.

Everything GitHub-specific is translated at this door: github3 objects become `FileDiff`,
`PriorRun` and plain values; github3 errors become `UserError` with the token redacted (or, for a
refused review, `ReviewRefused` so the caller can re-plan). Retries live in the HTTP session, so
pagination, edits and statuses all get them, with an injectable `sleep` for tests.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import github3
import requests
from github3 import exceptions as gh_exc
from github3.session import GitHubSession

from transformers_scaffold.errors import UserError
from transformers_scaffold.review.builder import PriorRun, PriorThread, ReviewPlan, StatusPlan
from transformers_scaffold.review.diff import FileDiff, file_diff
from transformers_scaffold.review.markers import comment_fingerprint, decode_state, is_summary
from transformers_scaffold.review.retry import RetryPolicy, connection_retry_delay, is_rate_limited, retry_delay
from transformers_scaffold.review.sanitize import one_line, redact

LOG = logging.getLogger(__name__)
PUBLIC_API_URL = "https://api.github.com"
DEFAULT_BOT_LOGIN = "github-actions[bot]"
MAX_PR_FILES = 3000  # GitHub lists at most 3,000 files of a pull request
_HINTS = {
    401: "check that GITHUB_TOKEN is set to a valid token",
    403: "the token lacks permission: the review workflow needs pull-requests: write and statuses: write",
    404: "check --repo-slug and --pr, and that the token can see the repository",
    422: "GitHub rejected the request as invalid",
}
MAX_SUMMARY_ATTEMPTS = 3
_THREADS_QUERY = """
query($owner: String!, $name: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { id isResolved comments(first: 50) { nodes { author { login } body } } }
      }
    }
  }
}
"""
_RESOLVE = "mutation($id: ID!) { resolveReviewThread(input: {threadId: $id}) { thread { id isResolved } } }"


class GraphQLError(Exception):
    """GitHub's GraphQL API answered with errors (or not at all)."""


class ReviewRefused(Exception):
    """GitHub answered 422 to a review: `paths` it named (empty when it named none)."""

    def __init__(self, message: str, paths: frozenset[str]) -> None:
        super().__init__(message)
        self.paths = paths


class ReviewOutcomeUnknown(Exception):
    """A server error on creating a review: it may or may not have been created."""


class _RetryingSession(GitHubSession):
    """github3's session, retrying what `retry.retry_delay` allows, with an injectable sleep."""

    def __init__(self, policy: RetryPolicy, sleep: Callable[[float], None], clock: Callable[[], float]) -> None:
        super().__init__(default_connect_timeout=10, default_read_timeout=30)
        self._policy, self._sleep, self._clock = policy, sleep, clock

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        waited = 0.0
        attempt = 1
        while True:
            try:
                response = super().request(method, url, *args, **kwargs)
            except requests.ConnectionError:
                delay = connection_retry_delay(self._policy, attempt=attempt, method=method, url=url)
                if delay is None or waited + delay > self._policy.max_total:
                    raise
                LOG.warning("connection to GitHub failed on %s %s; retrying in %.1f s", method, _path(url), delay)
            else:
                body = response.text[:2000] if response.status_code in (403, 429) else ""
                delay = retry_delay(
                    self._policy,
                    attempt=attempt,
                    method=method,
                    url=url,
                    status=response.status_code,
                    headers=response.headers,
                    body=body,
                    now=self._clock(),
                )
                if delay is None or waited + delay > self._policy.max_total:
                    return response
                LOG.warning(
                    "GitHub answered %s to %s %s; retrying in %.1f s", response.status_code, method, _path(url), delay
                )
                response.close()
            self._sleep(delay)
            waited += delay
            attempt += 1


def _path(url: str) -> str:
    return urlparse(url).path


@dataclass
class PullState:
    """One pull request as the review needs it."""

    slug: str
    number: int
    head_sha: str
    files: dict[str, FileDiff]
    prior: PriorRun
    summary_id: int | None


class GitHubClient:
    def __init__(
        self,
        api_url: str,
        token: str | None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        policy: RetryPolicy | None = None,
    ) -> None:
        self._token = token or ""
        session = _RetryingSession(policy or RetryPolicy(), sleep, clock)
        api_url = api_url.rstrip("/")
        if api_url.endswith("/api/v3"):  # GITHUB_API_URL on GitHub Enterprise Server
            self._gh = github3.GitHubEnterprise(api_url[: -len("/api/v3")], token=self._token, session=session)
        elif (urlparse(api_url).hostname or "").startswith("api."):
            # api.github.com, or GHE.com's api.<tenant>.ghe.com: the URL is the API root itself.
            self._gh = github3.GitHub(token=self._token, session=session)
            self._gh.session.base_url = api_url
        else:  # a GitHub Enterprise Server root URL (and the test server): github3 appends /api/v3
            self._gh = github3.GitHubEnterprise(api_url, token=self._token, session=session)
        self._repos: dict[str, Any] = {}
        self._bots: frozenset[str] = frozenset({DEFAULT_BOT_LOGIN})
        self._pulls: dict[tuple[str, int], Any] = {}
        self._summaries: dict[int, Any] = {}

    @contextmanager
    def _api(self, what: str) -> Iterator[None]:
        """Turn any github3 failure into one redacted line that says what to do."""
        try:
            yield
        except gh_exc.GitHubError as exc:
            code = getattr(exc, "code", None)
            hint = _HINTS.get(code or 0, "GitHub is failing; re-run the workflow later" if (code or 0) >= 500 else "")
            response = getattr(exc, "response", None)
            if response is not None and is_rate_limited(code or 0, response.headers, response.text[:2000]):
                wait = response.headers.get("Retry-After") or response.headers.get("X-RateLimit-Reset") or "?"
                hint = (
                    f"GitHub's rate limit asks to wait ({wait}), longer than the bot waits; re-run the workflow later"
                )
            detail = one_line(f"{code or ''} {getattr(exc, 'msg', '') or exc}", 300)
            raise UserError(
                redact(f"GitHub API: {what} failed ({detail}){'; ' + hint if hint else ''}", [self._token])
            ) from None
        except gh_exc.GitHubException as exc:
            raise UserError(
                redact(f"GitHub API: {what} failed ({one_line(str(exc), 300)}); check --api-url", [self._token])
            ) from None

    def bot_logins(self) -> frozenset[str]:
        """Whose comments count as ours: the token's user where GitHub says, plus the Actions bot."""
        logins = {DEFAULT_BOT_LOGIN}
        try:
            response = self._gh.session.get(self._gh.session.build_url("user"))
            if response.status_code == 200:
                logins.add(str(response.json().get("login", DEFAULT_BOT_LOGIN)))
        except (requests.RequestException, ValueError):
            pass  # an Actions token cannot read /user; the default login is right there
        return frozenset(logins)

    def _repo(self, slug: str) -> Any:
        if slug not in self._repos:
            owner, name = slug.split("/", 1)
            with self._api(f"reading repository {slug}"):
                self._repos[slug] = self._gh.repository(owner, name)
        return self._repos[slug]

    def find_pull(self, slug: str, head_owner: str, head_branch: str, head_sha: str) -> int | None:
        """The open PR whose head is `head_owner:head_branch` (fork PRs' workflow_run payloads
        carry no PR number)."""
        with self._api(f"listing pull requests of {slug}"):
            pulls = list(self._repo(slug).pull_requests(state="open", head=f"{head_owner}:{head_branch}"))
        # Prefer the PR at that commit; otherwise the caller sees that the PR has moved on.
        pulls.sort(key=lambda pull: pull.head.sha != head_sha)
        return int(pulls[0].number) if pulls else None

    def load(self, slug: str, number: int, bots: frozenset[str]) -> PullState:
        self._bots = bots
        with self._api(f"reading pull request {slug}#{number}"):
            pull = self._repo(slug).pull_request(number)
            self._pulls[(slug, number)] = pull
            files: dict[str, FileDiff] = {}
            for item in pull.files():  # 100 per page; GitHub stops listing at 3,000 files
                if len(files) >= MAX_PR_FILES:
                    break
                data = item.as_dict()
                files[item.filename] = file_diff(item.filename, item.status, item.patch, data.get("previous_filename"))
            posted = set()
            for comment in pull.review_comments():
                if comment.user.login in bots and (fp := comment_fingerprint(comment.body)):
                    posted.add(fp)
            summary = self._find_summary(pull, bots)
            changes_requested = tuple(
                int(review.id)
                for review in pull.reviews()
                if review.user.login in bots and review.state == "CHANGES_REQUESTED"
            )
        if summary is not None:
            self._summaries[summary.id] = summary
        try:
            threads = self.review_threads(slug, number, bots)
        except GraphQLError as exc:
            # Without GraphQL the bot still works; it just cannot resolve its threads.
            LOG.warning("reading review threads failed (%s); fixed threads stay open", redact(str(exc), [self._token]))
            threads = ()
        prior = PriorRun(
            posted=frozenset(posted),
            open_before=tuple(decode_state(summary.body)) if summary else (),
            summary_exists=summary is not None,
            threads=threads,
            changes_requested=changes_requested,
        )
        return PullState(slug, number, pull.head.sha, files, prior, summary.id if summary else None)

    @staticmethod
    def _find_summary(pull: Any, bots: frozenset[str]) -> Any:
        for comment in pull.issue_comments():
            if comment.user.login in bots and is_summary(comment.body):
                return comment
        return None

    def head_sha(self, slug: str, number: int) -> str:
        with self._api(f"reading pull request {slug}#{number}"):
            return str(self._repo(slug).pull_request(number).head.sha)

    # --- GraphQL: review threads -----------------------------------------------------------
    def _graphql_url(self) -> str:
        base = str(self._gh.session.base_url).rstrip("/")
        return base[: -len("/v3")] + "/graphql" if base.endswith("/api/v3") else base + "/graphql"

    def graphql(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """One GraphQL call through github3's session (same token, same retries)."""
        try:
            response = self._gh.session.post(self._graphql_url(), json={"query": query, "variables": variables})
            document = response.json() if response.status_code == 200 else None
        except (requests.RequestException, ValueError) as exc:
            raise GraphQLError(one_line(str(exc), 200)) from None
        if not isinstance(document, dict) or document.get("errors") or "data" not in document:
            detail = document.get("errors") if isinstance(document, dict) else response.status_code
            raise GraphQLError(one_line(str(detail), 200))
        return dict(document["data"])

    def review_threads(self, slug: str, number: int, bots: frozenset[str]) -> tuple[PriorThread, ...]:
        """The bot's inline threads: who replied, whether resolved. GraphQL logins of bots lack `[bot]`."""
        owner, name = slug.split("/", 1)
        logins = bots | {login.removesuffix("[bot]") for login in bots}
        threads: list[PriorThread] = []
        after = None
        for _ in range(100):  # 10,000 threads at most
            data = self.graphql(_THREADS_QUERY, {"owner": owner, "name": name, "number": number, "after": after})
            page = data["repository"]["pullRequest"]["reviewThreads"]
            for node in page["nodes"]:
                comments = node["comments"]["nodes"]
                if not comments or (comments[0].get("author") or {}).get("login") not in logins:
                    continue
                fp = comment_fingerprint(comments[0].get("body"))
                if fp is None:
                    continue
                human = any((c.get("author") or {}).get("login") not in logins for c in comments[1:])
                threads.append(PriorThread(str(node["id"]), fp, bool(node["isResolved"]), human))
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        return tuple(threads)

    def resolve_thread(self, node_id: str) -> None:
        data = self.graphql(_RESOLVE, {"id": node_id})
        if not (data.get("resolveReviewThread") or {}).get("thread", {}).get("isResolved"):
            raise GraphQLError(f"thread {node_id} is still open")

    def dismiss_review(self, state: PullState, review_id: int, message: str) -> None:
        url = self._gh.session.build_url(
            "repos", *state.slug.split("/", 1), "pulls", str(state.number), "reviews", str(review_id), "dismissals"
        )
        with self._api(f"dismissing review {review_id} on {state.slug}#{state.number}"):
            response = self._gh.session.put(url, json={"message": message, "event": "DISMISS"})
            if response.status_code != 200:
                raise gh_exc.error_for(response)

    def posted_fingerprints(self, state: PullState, bots: frozenset[str]) -> frozenset[str]:
        pull = self._pulls[(state.slug, state.number)]
        with self._api(f"listing review comments of {state.slug}#{state.number}"):
            return frozenset(
                fp for c in pull.review_comments() if c.user.login in bots and (fp := comment_fingerprint(c.body))
            )

    def create_review(self, state: PullState, plan: ReviewPlan) -> None:
        pull = self._pulls[(state.slug, state.number)]
        comments = [c.as_api() for c in plan.comments]
        try:
            pull.create_review(plan.review_body, commit_id=plan.commit_sha, event=plan.event, comments=comments)
        except gh_exc.UnprocessableEntity as exc:
            text = redact(one_line(f"{exc.msg} {exc.errors}", 500), [self._token])
            named = frozenset(c["path"] for c in comments if c["path"] in text)
            raise ReviewRefused(text, named) from None
        except (gh_exc.ServerError, gh_exc.ConnectionError) as exc:
            raise ReviewOutcomeUnknown(redact(one_line(str(exc), 300), [self._token])) from None
        except gh_exc.GitHubException:
            with self._api(f"creating a review on {state.slug}#{state.number}"):
                raise

    def upsert_summary(self, state: PullState, body: str) -> str:
        """Edit the sticky summary in place, or create it; returns its HTML URL."""
        pull = self._pulls[(state.slug, state.number)]
        what = f"writing the summary comment on {state.slug}#{state.number}"
        for attempt in range(1, MAX_SUMMARY_ATTEMPTS + 1):
            with self._api(what):
                if state.summary_id is not None:
                    comment = self._summaries[state.summary_id]
                    comment.edit(body)  # an edit is safe to repeat; the session retries it
                    return str(comment.html_url)
                try:
                    comment = pull.create_comment(body)
                except (gh_exc.ServerError, gh_exc.ConnectionError):
                    if attempt == MAX_SUMMARY_ATTEMPTS:
                        raise
                    # It may have landed: look before posting again, so there is only ever one.
                    found = self._find_summary(pull, self._bots)
                    if found is not None:
                        self._summaries[found.id] = found
                        state.summary_id = found.id
                    continue
                state.summary_id = comment.id
                self._summaries[comment.id] = comment
                return str(comment.html_url)
        raise AssertionError("unreachable")

    def set_status(self, state: PullState, sha: str, status: StatusPlan, target_url: str | None) -> None:
        self.set_status_on(state.slug, sha, status, target_url)

    def set_status_on(self, slug: str, sha: str, status: StatusPlan, target_url: str | None = None) -> None:
        description = redact(status.description, [self._token])
        with self._api(f"setting the {status.context} status on {sha[:12]}"):
            self._repo(slug).create_status(
                sha, status.state, target_url=target_url, description=description, context=status.context
            )
