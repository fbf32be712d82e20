"""A small, stateful GitHub REST server on 127.0.0.1 that speaks the shapes github3.py 4.0.1 reads.

It serves one repository under GitHub Enterprise's `/api/v3` prefix, stores reviews, review
comments, issue comments and statuses, paginates with `Link` headers like GitHub (per_page <= 100,
at most 3,000 PR files), validates review comments against the RIGHT side of each file's patch
with its own parser (422 "Line could not be resolved", like GitHub), and can inject faults.
Reviews carry GitHub's states (`COMMENTED`, `CHANGES_REQUESTED`, `DISMISSED`) and can be dismissed;
GraphQL (`/api/graphql`) answers `reviewThreads`, `resolveReviewThread` and `minimizeComment`.
`push()` moves the PR to a new head: comments whose line left the new patch become outdated.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

BOT = "github-actions[bot]"
DROP = 0  # a Fault status that closes the connection without a response
_NOW = "2026-11-27T20:00:00Z"
_STATES = {"COMMENT": "COMMENTED", "REQUEST_CHANGES": "CHANGES_REQUESTED", "APPROVE": "APPROVED"}


@dataclass
class FakePull:
    number: int
    head_sha: str
    files: list[dict[str, Any]]
    head_owner: str = "contributor"
    head_branch: str = "add-acme"


@dataclass
class Fault:
    method: str
    path: str  # regex matched against the path (without query)
    status: int
    times: int = 1
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=lambda: {"message": "Server Error"})
    after: bool = False  # process the request, then answer with the fault (a 502 that still wrote)


def _user(login: str) -> dict[str, Any]:
    base = f"https://github.example/users/{login}"
    keys = ["events_url", "followers_url", "following_url", "gists_url", "organizations_url", "received_events_url", "repos_url", "starred_url", "subscriptions_url"]  # fmt: skip
    return {"login": login, "id": abs(hash(login)) % 10**6, "avatar_url": base, "gravatar_id": "", "html_url": base,
            "type": "Bot" if login.endswith("[bot]") else "User", "url": base, **dict.fromkeys(keys, base)}  # fmt: skip


def right_lines(patch: str | None) -> set[int]:
    """Independent re-implementation of which new-file lines a patch shows (not the code under test)."""
    lines: set[int] = set()
    new = None
    for row in (patch or "").split("\n"):
        m = re.match(r"@@ -[0-9,]+ \+(\d+)", row)
        if m:
            new = int(m.group(1))
        elif new is not None and row[:1] in ("+", " "):
            lines.add(new)
            new += 1
    return lines


class FakeGitHub:
    def __init__(self, owner: str = "acme", name: str = "transformers", token: str = "") -> None:
        self.owner, self.name, self.token = owner, name, token
        self.pulls: dict[int, FakePull] = {}
        self.reviews: list[dict[str, Any]] = []
        self.review_comments: list[dict[str, Any]] = []
        self.issue_comments: list[dict[str, Any]] = []
        self.statuses: list[dict[str, Any]] = []
        self.requests: list[tuple[str, str]] = []
        self.faults: list[Fault] = []
        self.user_login: str | None = None  # None: GET /user answers 403 like an Actions token
        self.refuse_paths: set[str] = set()  # review comments on these paths get a 422
        self.name_refused = False  # whether the 422 names the path (GitHub's usually does not)
        self.resolved_threads: set[int] = set()  # ids of the first comments of resolved threads
        self.minimized: set[int] = set()
        self.dismissals: list[tuple[int, str]] = []
        self.graphql_down = False
        self._ids = 1000
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.api = f"{self.url}/api/v3"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> FakeGitHub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- JSON shapes -------------------------------------------------------------------------
    def _next_id(self) -> int:
        self._ids += 1
        return self._ids

    def repo_json(self) -> dict[str, Any]:
        r = f"{self.api}/repos/{self.owner}/{self.name}"
        url_keys = ["archive_url", "assignees_url", "blobs_url", "branches_url", "collaborators_url", "comments_url", "commits_url", "compare_url", "contents_url", "contributors_url", "deployments_url", "downloads_url", "events_url", "forks_url", "git_commits_url", "git_refs_url", "git_tags_url", "hooks_url", "issue_comment_url", "issue_events_url", "issues_url", "keys_url", "labels_url", "languages_url", "merges_url", "milestones_url", "notifications_url", "pulls_url", "releases_url", "stargazers_url", "statuses_url", "subscribers_url", "subscription_url", "tags_url", "teams_url", "trees_url"]  # fmt: skip
        data: dict[str, Any] = {k: f"{r}/{k}" for k in url_keys}
        data.update(id=1, name=self.name, full_name=f"{self.owner}/{self.name}", owner=_user(self.owner), private=False,
                    fork=False, url=r, html_url=f"{self.url}/{self.owner}/{self.name}", description="", archived=False,
                    clone_url="", created_at=_NOW, default_branch="main", forks_count=0, git_url="", has_downloads=True,
                    has_issues=True, has_pages=False, has_projects=False, has_wiki=False, homepage=None, language="Python",
                    mirror_url=None, network_count=0, open_issues_count=0, pushed_at=_NOW, size=1, ssh_url="",
                    stargazers_count=0, subscribers_count=0, svn_url="", updated_at=_NOW, watchers_count=0)  # fmt: skip
        return data

    def pull_json(self, pull: FakePull) -> dict[str, Any]:
        r = f"{self.api}/repos/{self.owner}/{self.name}"
        p = f"{r}/pulls/{pull.number}"
        issue_comments = f"{r}/issues/{pull.number}/comments"
        head = {"ref": pull.head_branch, "label": f"{pull.head_owner}:{pull.head_branch}", "sha": pull.head_sha,
                "user": _user(pull.head_owner), "repo": None}  # fmt: skip
        base = {
            "ref": "main",
            "label": f"{self.owner}:main",
            "sha": "b" * 40,
            "user": _user(self.owner),
            "repo": self.repo_json(),
        }
        return {"url": p, "id": pull.number, "number": pull.number, "state": "open", "title": "Add Acme", "body": "",
                "body_html": "", "body_text": "", "active_lock_reason": None, "assignee": None, "assignees": [],
                "base": base, "head": head, "closed_at": None, "created_at": _NOW, "updated_at": _NOW, "merged_at": None,
                "comments_url": issue_comments, "commits_url": f"{p}/commits", "diff_url": "", "patch_url": "",
                "html_url": f"{self.url}/{self.owner}/{self.name}/pull/{pull.number}", "issue_url": f"{r}/issues/{pull.number}",
                "_links": {"comments": {"href": issue_comments}, "self": {"href": p}}, "locked": False,
                "merge_commit_sha": None, "review_comment_url": f"{r}/pulls/comments{{/number}}",
                "review_comments_url": f"{p}/comments", "statuses_url": f"{r}/statuses/{pull.head_sha}",
                "user": _user(pull.head_owner), "requested_reviewers": [], "requested_teams": [], "additions": 1,
                "author_association": "CONTRIBUTOR", "comments": 0, "commits": 1, "deletions": 0, "draft": False,
                "mergeable": True, "mergeable_state": "clean", "merged": False, "merged_by": None,
                "review_comments": 0, "changed_files": len(pull.files)}  # fmt: skip

    def file_json(self, f: dict[str, Any]) -> dict[str, Any]:
        data = {"sha": "c" * 40, "status": "modified", "additions": 1, "deletions": 0, "changes": 1, "blob_url": "",
                "raw_url": "", "contents_url": f"{self.api}/repos/{self.owner}/{self.name}/contents/{f['filename']}"}  # fmt: skip
        data.update(f)
        return data

    # --- request handling ---------------------------------------------------------------------
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep pytest output clean
                pass

            def _reply(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(raw)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(raw)

            def _serve(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                parsed = urlparse(self.path)
                with fake._lock:
                    fake.requests.append((method, self.path))
                    status, body, headers = fake.route(
                        method, parsed.path, parse_qs(parsed.query), raw, dict(self.headers)
                    )
                if status == DROP:  # hang up without answering, like a reset connection
                    self.close_connection = True
                    return
                self._reply(status, body, headers)

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def do_PATCH(self) -> None:
                self._serve("PATCH")

            def do_PUT(self) -> None:
                self._serve("PUT")

        return Handler

    def _page(self, items: list[Any], path: str, query: dict[str, list[str]]) -> tuple[int, Any, dict[str, str]]:
        per_page = min(int(query.get("per_page", ["30"])[0]), 100)
        page = int(query.get("page", ["1"])[0])
        chunk = items[(page - 1) * per_page : page * per_page]
        headers = {}
        if page * per_page < len(items):
            nxt = f"{self.url}{path}?{urlencode({'per_page': per_page, 'page': page + 1})}"
            headers["Link"] = f'<{nxt}>; rel="next"'
        return 200, chunk, headers

    def route(self, method: str, path: str, query: dict[str, list[str]], raw: bytes, headers: dict[str, str]):
        for fault in self.faults:
            if fault.times > 0 and fault.method == method and re.search(fault.path, path):
                fault.times -= 1
                if fault.after:
                    self._route(method, path, query, raw, headers)
                return fault.status, fault.body, fault.headers
        return self._route(method, path, query, raw, headers)

    def _route(self, method: str, path: str, query: dict[str, list[str]], raw: bytes, headers: dict[str, str]):  # noqa: C901
        if method != "GET" and headers.get("Authorization") != f"token {self.token}":
            return 401, {"message": "Bad credentials"}, {}
        data = json.loads(raw) if raw else {}
        if path == "/api/graphql" and method == "POST":
            if headers.get("Authorization") != f"token {self.token}":
                return 401, {"message": "Bad credentials"}, {}
            if self.graphql_down:
                return 200, {"errors": [{"message": "Something went wrong"}]}, {}
            return self._graphql(data.get("query", ""), data.get("variables") or {})
        prefix = f"/api/v3/repos/{self.owner}/{self.name}"
        if path == "/api/v3/user":
            if self.user_login is None:
                return 403, {"message": "Resource not accessible by integration"}, {}
            return 200, _user(self.user_login), {}
        if path == prefix:
            return 200, self.repo_json(), {}
        if path == f"{prefix}/pulls":
            head = query.get("head", [""])[0]
            found = [self.pull_json(p) for p in self.pulls.values() if f"{p.head_owner}:{p.head_branch}" == head]
            return 200, found, {}
        m = re.fullmatch(rf"{prefix}/(pulls|issues)/(\d+)(/[a-z]+)?", path)
        if m and int(m.group(2)) in self.pulls:
            pull = self.pulls[int(m.group(2))]
            kind, sub = m.group(1), m.group(3)
            if kind == "pulls" and sub is None:
                return 200, self.pull_json(pull), {}
            if kind == "pulls" and sub == "/files":
                return self._page([self.file_json(f) for f in pull.files[:3000]], path, query)
            if kind == "pulls" and sub == "/comments":
                return self._page([c for c in self.review_comments if c["_pull"] == pull.number], path, query)
            if kind == "pulls" and sub == "/reviews" and method == "POST":
                return self._create_review(pull, data)
            if kind == "pulls" and sub == "/reviews" and method == "GET":
                return self._page([r for r in self.reviews if r["_pull"] == pull.number], path, query)
            if kind == "issues" and sub == "/comments" and method == "GET":
                return self._page([c for c in self.issue_comments if c["_pull"] == pull.number], path, query)
            if kind == "issues" and sub == "/comments" and method == "POST":
                comment = self._issue_comment(pull.number, data["body"])
                self.issue_comments.append(comment)
                return 201, comment, {}
        m = re.fullmatch(rf"{prefix}/issues/comments/(\d+)", path)
        if m and method == "PATCH":
            for comment in self.issue_comments:
                if comment["id"] == int(m.group(1)):
                    comment["body"] = data["body"]
                    return 200, comment, {}
        m = re.fullmatch(rf"{prefix}/pulls/(\d+)/reviews/(\d+)/dismissals", path)
        if m and method == "PUT":
            for review in self.reviews:
                if review["id"] == int(m.group(2)) and review["_pull"] == int(m.group(1)):
                    if review["state"] not in ("CHANGES_REQUESTED", "APPROVED"):
                        return 422, {"message": "Can not dismiss a commented pull request review"}, {}
                    if not data.get("message"):
                        return 422, {"message": "message is missing"}, {}
                    review["state"] = "DISMISSED"
                    self.dismissals.append((review["id"], data["message"]))
                    return 200, review, {}
            return 404, {"message": "Not Found"}, {}
        m = re.fullmatch(rf"{prefix}/statuses/([0-9a-f]{{40}})", path)
        if m and method == "POST":
            status = {"url": path, "id": self._next_id(), "context": data.get("context", "default"), "created_at": _NOW,
                      "updated_at": _NOW, "description": data.get("description"), "state": data["state"],
                      "target_url": data.get("target_url"), "creator": _user(BOT), "sha": m.group(1)}  # fmt: skip
            self.statuses.append(status)
            return 201, status, {}
        return 404, {"message": "Not Found"}, {}

    def _issue_comment(self, number: int, body: str, login: str = BOT) -> dict[str, Any]:
        cid = self._next_id()
        r = f"{self.api}/repos/{self.owner}/{self.name}"
        return {"url": f"{r}/issues/comments/{cid}", "id": cid, "author_association": "NONE", "body": body,
                "body_html": "", "body_text": "", "created_at": _NOW, "updated_at": _NOW,
                "html_url": f"{self.url}/{self.owner}/{self.name}/pull/{number}#issuecomment-{cid}",
                "issue_url": f"{r}/issues/{number}", "user": _user(login), "_pull": number}  # fmt: skip

    def add_issue_comment(self, number: int, body: str, login: str) -> None:
        """A comment by someone else (e.g. a contributor trying to spoof the bot's marker)."""
        self.issue_comments.append(self._issue_comment(number, body, login))

    def add_review_comment(self, number: int, path: str, line: int, body: str, login: str) -> None:
        """A review comment by someone else, e.g. one that copies the bot's fingerprint marker."""
        cid = self._next_id()
        self.review_comments.append({
            "url": f"{self.api}/repos/{self.owner}/{self.name}/pulls/comments/{cid}", "id": cid,
            "author_association": "CONTRIBUTOR", "body": body, "body_html": "", "body_text": "", "commit_id": "a" * 40,
            "created_at": _NOW, "diff_hunk": "", "html_url": "", "_links": {}, "original_commit_id": "a" * 40,
            "original_position": 1, "path": path, "position": 1, "line": line, "pull_request_url": "",
            "updated_at": _NOW, "user": _user(login), "_pull": number})  # fmt: skip

    def _create_review(self, pull: FakePull, data: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        if data.get("event") not in ("COMMENT", "REQUEST_CHANGES", "APPROVE"):
            return 422, {"message": "Unprocessable Entity", "errors": ["event is missing"]}, {}
        if data.get("commit_id") != pull.head_sha:
            return (
                422,
                {"message": "Unprocessable Entity", "errors": ["commit_id is not part of the pull request"]},
                {},
            )
        if data["event"] == "REQUEST_CHANGES" and pull.head_owner == BOT:
            errors = ["Review Can not request changes on your own pull request"]
            return 422, {"message": "Unprocessable Entity", "errors": errors}, {}
        patches = {f["filename"]: f.get("patch") for f in pull.files}
        for c in data.get("comments") or []:
            lines = right_lines(patches.get(c["path"]))
            wanted = range(c.get("start_line") or c["line"], c["line"] + 1)
            if c["path"] in self.refuse_paths or c.get("side") != "RIGHT" or not all(n in lines for n in wanted):
                error = (
                    f"Line could not be resolved for {c['path']}"
                    if self.name_refused
                    else "Line could not be resolved"
                )
                return 422, {"message": "Unprocessable Entity", "errors": [error]}, {}
        rid = self._next_id()
        r = f"{self.api}/repos/{self.owner}/{self.name}"
        review = {"id": rid, "author_association": "NONE", "body": data.get("body", ""), "body_html": "", "body_text": "",
                  "commit_id": data.get("commit_id"), "html_url": "", "user": _user(BOT), "state": _STATES[data["event"]],
                  "pull_request_url": f"{r}/pulls/{pull.number}", "submitted_at": _NOW, "_comments": data.get("comments") or [],
                  "_pull": pull.number}  # fmt: skip
        self.reviews.append(review)
        for c in data.get("comments") or []:
            cid = self._next_id()
            self.review_comments.append({
                "url": f"{r}/pulls/comments/{cid}", "id": cid, "author_association": "NONE", "body": c["body"],
                "body_html": "", "body_text": "", "commit_id": data.get("commit_id"), "created_at": _NOW,
                "diff_hunk": "", "html_url": "", "_links": {}, "original_commit_id": data.get("commit_id"),
                "original_position": 1, "path": c["path"], "position": 1, "line": c["line"],
                "start_line": c.get("start_line"), "side": "RIGHT", "pull_request_url": f"{r}/pulls/{pull.number}",
                "updated_at": _NOW, "user": _user(BOT), "_pull": pull.number, "_review": rid})  # fmt: skip
        return 200, review, {}

    # --- pushes, threads, GraphQL ---------------------------------------------------------------
    def push(self, number: int, head_sha: str, files: list[dict[str, Any]]) -> None:
        """A new head: comments whose line is no longer in the patch become outdated (`line: null`)."""
        pull = self.pulls[number]
        pull.head_sha, pull.files = head_sha, files
        patches = {f["filename"]: f.get("patch") for f in files}
        for c in self.review_comments:
            if (
                c["_pull"] == number
                and c.get("line") is not None
                and c["line"] not in right_lines(patches.get(c["path"]))
            ):
                c["line"] = None
                c["position"] = None

    def reply(self, comment_id: int, body: str, login: str) -> None:
        """A person answers in a thread of the bot."""
        first = next(c for c in self.review_comments if c["id"] == comment_id)
        self.add_review_comment(first["_pull"], first["path"], first.get("line") or 1, body, login)
        self.review_comments[-1]["in_reply_to_id"] = comment_id

    def threads(self, number: int) -> list[dict[str, Any]]:
        """Threads as GitHub groups them: a first comment and its replies."""
        firsts = [c for c in self.review_comments if c["_pull"] == number and not c.get("in_reply_to_id")]
        out = []
        for first in firsts:
            replies = [c for c in self.review_comments if c.get("in_reply_to_id") == first["id"]]
            out.append({"id": f"PRRT_{first['id']}", "first": first, "comments": [first, *replies],
                        "isResolved": first["id"] in self.resolved_threads,
                        "isOutdated": first.get("line") is None})  # fmt: skip
        return out

    def _graphql(self, query: str, variables: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        def login(c: dict[str, Any]) -> str:
            # GraphQL names bot actors without the `[bot]` suffix, unlike REST.
            return c["user"]["login"].removesuffix("[bot]")

        if "resolveReviewThread" in query:
            node = str(variables.get("id", ""))
            if not node.startswith("PRRT_") or not any(t["id"] == node for n in self.pulls for t in self.threads(n)):
                return (
                    200,
                    {
                        "data": None,
                        "errors": [{"message": f"Could not resolve to a node with the global id of '{node}'"}],
                    },
                    {},
                )
            self.resolved_threads.add(int(node[5:]))
            return 200, {"data": {"resolveReviewThread": {"thread": {"id": node, "isResolved": True}}}}, {}
        if "minimizeComment" in query:
            self.minimized.add(int(str(variables.get("id", "0")).removeprefix("PRRC_")))
            return 200, {"data": {"minimizeComment": {"minimizedComment": {"isMinimized": True}}}}, {}
        if "reviewThreads" in query:
            if (variables.get("owner"), variables.get("name")) != (self.owner, self.name):
                return (
                    200,
                    {"data": {"repository": None}, "errors": [{"message": "Could not resolve to a Repository"}]},
                    {},
                )
            threads = self.threads(int(variables["number"]))
            start = int(variables.get("after") or 0)
            page = threads[start : start + 100]
            nodes = [{"id": t["id"], "isResolved": t["isResolved"], "isOutdated": t["isOutdated"],
                      "comments": {"nodes": [{"author": {"login": login(c)}, "body": c["body"]} for c in t["comments"][:50]]}}
                     for t in page]  # fmt: skip
            more = start + 100 < len(threads)
            info = {"hasNextPage": more, "endCursor": str(start + 100) if more else None}
            return (
                200,
                {"data": {"repository": {"pullRequest": {"reviewThreads": {"pageInfo": info, "nodes": nodes}}}}},
                {},
            )
        return 200, {"errors": [{"message": "unsupported query"}]}, {}
