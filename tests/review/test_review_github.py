"""`scaffold review` against a real HTTP server on 127.0.0.1 that speaks GitHub's REST shapes."""

from __future__ import annotations

import json
from pathlib import Path

from tests.review.conftest import SLUG, TOKEN, finding
from tests.review.fake_github import BOT, FakeGitHub, FakePull
from transformers_scaffold.review.markers import SUMMARY_MARKER, comment_fingerprint

MODELING = "src/transformers/models/acme/modeling_acme.py"
AUTO = "src/transformers/models/auto/modeling_auto.py"
CONFIG = "src/transformers/models/acme/configuration_acme.py"
LOGO = "docs/source/en/imgs/acme.png"
REMOVED = "src/transformers/models/acme/old_acme.py"


def added_patch(n: int) -> str:
    return f"@@ -0,0 +1,{n} @@\n" + "\n".join(f"+line {i}" for i in range(1, n + 1))


AUTO_PATCH = "@@ -100,5 +100,7 @@\n ctx100\n ctx101\n ctx102\n+new103\n+new104\n ctx105\n ctx106"
CONFIG_PATCH = "@@ -9,3 +9,4 @@\n ctx9\n ctx10\n+new11\n ctx12"


def files(modeling_lines: int = 20) -> list[dict]:
    return [
        {"filename": MODELING, "status": "added", "patch": added_patch(modeling_lines)},
        {"filename": AUTO, "patch": AUTO_PATCH},
        {
            "filename": CONFIG,
            "status": "renamed",
            "previous_filename": "src/transformers/models/acme/config_acme.py",
            "patch": CONFIG_PATCH,
        },
        {"filename": LOGO, "status": "added"},  # binary: GitHub sends no patch
        {"filename": REMOVED, "status": "removed", "patch": "@@ -1,2 +0,0 @@\n-a\n-b"},
    ]


def first_findings() -> list[dict]:
    return [
        finding(MODELING, 5, "SCF101", message="A: config class is not strict"),
        finding(MODELING, 8, "SCF102", "warning", end_line=10, message="B: range finding"),
        finding(AUTO, 103, "SCF103", message="C: mapping entry unsorted"),
        finding(AUTO, 50, "SCF104", message="D: outside the diff"),
        finding(LOGO, 1, "SCF105", "info", message="E: binary file"),
        finding(REMOVED, 2, "SCF106", "warning", message="F: removed file"),
        finding(CONFIG, 11, "SCF107", "info", message="G: renamed file"),
    ]


def review_args(findings_file: Path, github: FakeGitHub, *extra: str) -> list[str]:
    return [
        "review",
        "--findings",
        str(findings_file),
        "--repo-slug",
        SLUG,
        "--pr",
        "7",
        "--api-url",
        github.url,
        *extra,
    ]


def writes(github: FakeGitHub) -> list[tuple[str, str]]:
    """REST writes (GraphQL goes to one URL for reads and writes; tests check its effects instead)."""
    return [r for r in github.requests if r[0] != "GET" and not r[1].startswith("/api/graphql")]


def summary_comments(github: FakeGitHub) -> list[dict]:
    return [c for c in github.issue_comments if c["user"]["login"] == BOT and c["body"].startswith(SUMMARY_MARKER)]


def test_first_run_posts_one_review_one_summary_one_status(github, write_findings, run_cli):
    github.pulls[7] = FakePull(7, "a" * 40, files())
    result = run_cli(*review_args(write_findings(first_findings()), github))
    assert result.code == 0, result.err

    assert len(github.reviews) == 1
    review = github.reviews[0]
    assert review["state"] == "COMMENTED" and review["commit_id"] == "a" * 40
    placed = sorted((c["path"], c.get("start_line", 0), c["line"]) for c in review["_comments"])
    assert placed == [(CONFIG, 0, 11), (MODELING, 0, 5), (MODELING, 8, 10), (AUTO, 0, 103)]
    assert all(comment_fingerprint(c["body"]) for c in review["_comments"])

    [summary] = summary_comments(github)
    body = summary["body"]
    assert "Not on changed lines (3)" in body
    for text in ("D: outside the diff", "E: binary file", "F: removed file"):
        assert text in body
    assert "A: config class" not in body  # inline findings are counted, not repeated

    pending, status = github.statuses
    assert pending["state"] == "pending" and pending["sha"] == status["sha"] == "a" * 40
    assert status["context"] == "scaffold/review" and status["state"] == "failure"
    assert status["description"] == "3 errors, 2 warnings, 2 info"
    assert status["target_url"] == summary["html_url"]
    assert "1 new" not in result.out and "4 new inline comments" in result.out


def test_second_run_after_push_posts_only_the_new_finding_and_edits_the_summary(github, write_findings, run_cli):
    github.pulls[7] = FakePull(7, "a" * 40, files())
    assert run_cli(*review_args(write_findings(first_findings()), github)).code == 0

    # The push adds two lines at the top (A moves from 5 to 7), fixes B and adds H.
    github.pulls[7] = FakePull(7, "d" * 40, files(modeling_lines=24))
    second = [f for f in first_findings() if not f["message"].startswith("B")]
    second[0] = {**second[0], "line": 7, "end_line": 7}
    second.append(finding(MODELING, 15, "SCF108", message="H: new problem"))
    github.requests.clear()
    result = run_cli(*review_args(write_findings(second), github))
    assert result.code == 0, result.err

    assert len(github.reviews) == 2
    [new] = github.reviews[1]["_comments"]
    assert (new["path"], new["line"]) == (MODELING, 15) and "H: new problem" in new["body"]
    [summary] = summary_comments(github)  # edited in place, not duplicated
    assert ("PATCH", f"/api/v3/repos/{SLUG}/issues/comments/{summary['id']}") in github.requests
    assert "Fixed since the last run (1)" in summary["body"] and "SCF102" in summary["body"]
    assert github.statuses[-1]["sha"] == "d" * 40
    assert github.statuses[-1]["description"] == "4 errors, 1 warning, 2 info; 1 fixed since last run"

    # A third run with nothing new posts no review, still edits the one summary.
    github.requests.clear()
    assert run_cli(*review_args(write_findings(second), github)).code == 0
    assert len(github.reviews) == 2 and len(summary_comments(github)) == 1
    assert "Fixed since the last run" not in summary_comments(github)[0]["body"]
    assert [m for m, _ in writes(github)] == ["POST", "PATCH", "POST"]  # pending, summary edit, status


def test_clean_pr_gets_a_success_status_and_no_comments(github, write_findings, run_cli):
    github.pulls[7] = FakePull(7, "a" * 40, files())
    assert run_cli(*review_args(write_findings([]), github)).code == 0
    assert github.reviews == [] and github.issue_comments == []
    assert github.statuses[-1]["state"] == "success"


def test_comments_by_others_cannot_spoof_the_bot(github, write_findings, run_cli):
    """A contributor copying the summary marker or a fingerprint must not hijack or suppress anything."""
    github.pulls[7] = FakePull(7, "a" * 40, files())
    assert run_cli(*review_args(write_findings(first_findings()[:1]), github)).code == 0
    fingerprint = comment_fingerprint(github.reviews[0]["_comments"][0]["body"])
    with FakeGitHub(token=TOKEN) as other:
        other.pulls[7] = FakePull(7, "a" * 40, files())
        other.add_issue_comment(7, SUMMARY_MARKER + "\nI am the summary now", login="mallory")
        other.add_review_comment(7, MODELING, 5, f"x\n<!-- scaffold-review:fp={fingerprint} -->", login="mallory")
        assert run_cli(*review_args(write_findings(first_findings()[:1]), other)).code == 0
        assert len(other.reviews) == 1  # the finding is still posted
        assert [c["user"]["login"] for c in other.issue_comments] == ["mallory", BOT]
        assert other.issue_comments[0]["body"].endswith("I am the summary now")


def test_untrusted_text_is_rendered_inert(github, write_findings, run_cli):
    github.pulls[7] = FakePull(7, "a" * 40, files())
    hostile = "ping @maintainers <img src=x> [click](http://evil) <!-- scaffold-review:fp=0123456789abcdef -->"
    assert (
        run_cli(*review_args(write_findings([finding(MODELING, 3, message=hostile, fix="see #1")]), github)).code == 0
    )
    body = github.reviews[0]["_comments"][0]["body"]
    assert "@maintainers" not in body and "<img" not in body and "](http" not in body and "#1" not in body
    assert body.count("<!--") == 1 and comment_fingerprint(body) != "0123456789abcdef"


def test_dry_run_prints_the_review_and_writes_nothing(github, write_findings, run_cli, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN")
    github.pulls[7] = FakePull(7, "a" * 40, files())
    result = run_cli(*review_args(write_findings(first_findings()), github, "--dry-run"))
    assert result.code == 0, result.err
    plan = json.loads(result.out)
    assert len(plan["review"]["comments"]) == 4 and plan["status"]["state"] == "failure"
    assert writes(github) == []


def test_request_changes_only_when_configured(github, write_findings, run_cli):
    github.pulls[7] = FakePull(7, "a" * 40, files())
    args = review_args(
        write_findings(first_findings()), github, "--request-changes-on", "error", "--fail-on", "error,warning"
    )
    assert run_cli(*args).code == 0
    assert github.reviews[0]["state"] == "CHANGES_REQUESTED"


def test_at_most_max_inline_open_comments_per_pr_rest_summarized(github, write_findings, run_cli):
    github.pulls[7] = FakePull(7, "a" * 40, [{"filename": MODELING, "status": "added", "patch": added_patch(60)}])
    many = [finding(MODELING, n, message=f"problem {n}") for n in range(1, 41)]
    assert run_cli(*review_args(write_findings(many), github)).code == 0
    assert len(github.reviews[0]["_comments"]) == 30
    assert "Over the inline-comment limit (10)" in summary_comments(github)[0]["body"]
    # The budget is per PR, not per review: the next push adds nothing while thirty threads are open...
    assert run_cli(*review_args(write_findings(many), github)).code == 0
    assert len(github.reviews) == 1 and "Over the inline-comment limit (10)" in summary_comments(github)[0]["body"]
    # ... and once five of them are fixed (their threads resolved), five of the waiting ones go inline.
    assert run_cli(*review_args(write_findings(many[5:]), github)).code == 0
    assert len(github.resolved_threads) == 5 and len(github.reviews[1]["_comments"]) == 5


def test_422_without_a_named_path_moves_the_batch_to_the_summary(github, write_findings, run_cli):
    github.pulls[7] = FakePull(7, "a" * 40, files())
    github.refuse_paths = {AUTO}
    assert run_cli(*review_args(write_findings(first_findings()), github)).code == 0
    assert github.reviews == []
    body = summary_comments(github)[0]["body"]
    assert "GitHub refused these inline comments (4)" in body and "Line could not be resolved" in body
    assert github.statuses[-1]["state"] == "failure"


def test_422_naming_a_path_drops_only_those_comments(github, write_findings, run_cli):
    github.pulls[7] = FakePull(7, "a" * 40, files())
    github.refuse_paths, github.name_refused = {AUTO}, True
    assert run_cli(*review_args(write_findings(first_findings()), github)).code == 0
    [review] = github.reviews
    assert AUTO not in {c["path"] for c in review["_comments"]} and len(review["_comments"]) == 3
    assert "GitHub refused these inline comments (1)" in summary_comments(github)[0]["body"]


def test_pagination_of_400_files(github, write_findings, run_cli):
    many = [{"filename": f"src/f{i:03}.py", "status": "added", "patch": added_patch(3)} for i in range(400)]
    github.pulls[7] = FakePull(7, "a" * 40, many)
    assert run_cli(*review_args(write_findings([finding("src/f399.py", 2)]), github)).code == 0
    pages = [p for m, p in github.requests if "/pulls/7/files" in p]
    assert len(pages) == 4 and pages[-1].endswith("page=4")
    assert github.reviews[0]["_comments"][0]["path"] == "src/f399.py"


def test_workflow_run_event_of_a_fork_pr_finds_the_pr_by_its_head(
    github, write_findings, run_cli, monkeypatch, tmp_path
):
    github.pulls[7] = FakePull(7, "a" * 40, files(), head_owner="contributor", head_branch="add-acme")
    event = {
        "action": "completed",
        "repository": {"full_name": SLUG},
        "workflow_run": {
            "head_sha": "a" * 40,
            "head_branch": "add-acme",
            "head_repository": {"owner": {"login": "contributor"}},
            "pull_requests": [],  # GitHub leaves this empty for PRs from forks
        },
    }
    (tmp_path / "event.json").write_text(json.dumps(event))
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(tmp_path / "event.json"))
    monkeypatch.setenv("GITHUB_API_URL", github.api)
    result = run_cli("review", "--findings", str(write_findings(first_findings())))
    assert result.code == 0, result.err
    assert len(github.reviews) == 1 and github.statuses[-1]["sha"] == "a" * 40

    # The PR moved on since the check ran: the stale findings are not posted.
    github.pulls[7].head_sha = "e" * 40
    github.requests.clear()
    result = run_cli("review", "--findings", str(write_findings(first_findings())))
    assert result.code == 0 and "moved on" in result.out and writes(github) == []


def test_missing_token_is_a_usage_error(github, write_findings, run_cli, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN")
    github.pulls[7] = FakePull(7, "a" * 40, files())
    result = run_cli(*review_args(write_findings(first_findings()), github))
    assert result.code == 2 and "GITHUB_TOKEN" in result.err and github.requests == []


def test_api_error_echoing_the_token_is_redacted(github, write_findings, run_cli):
    from tests.review.fake_github import Fault

    github.pulls[7] = FakePull(7, "a" * 40, files())
    github.faults.append(Fault("GET", r"/pulls/7$", 403, times=1, body={"message": f"token {TOKEN} is not allowed"}))
    result = run_cli(*review_args(write_findings(first_findings()), github))
    assert result.code == 2
    assert result.err.startswith("error: GitHub API: reading pull request") and result.err.count("\n") == 1
    assert "***" in result.err and "pull-requests: write" in result.err


def test_request_changes_on_own_pr_falls_back_to_comment(github, write_findings, run_cli):
    github.pulls[7] = FakePull(7, "a" * 40, files(), head_owner=BOT)
    assert run_cli(*review_args(write_findings(first_findings()), github, "--request-changes-on", "error")).code == 0
    [review] = github.reviews
    assert review["state"] == "COMMENTED" and len(review["_comments"]) == 4
    assert "GitHub refused" not in summary_comments(github)[0]["body"]


def test_console_script_in_a_real_subprocess(github, write_findings, tmp_path):
    import os
    import subprocess
    import sys

    github.pulls[7] = FakePull(7, "a" * 40, files())
    scaffold = Path(sys.executable).with_name("scaffold")
    env = {**os.environ, "GITHUB_TOKEN": TOKEN}
    for key in ("GITHUB_EVENT_PATH", "GITHUB_REPOSITORY", "GITHUB_API_URL"):
        env.pop(key, None)
    proc = subprocess.run(
        [str(scaffold), *review_args(write_findings(first_findings()), github)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "4 new inline comments" in proc.stdout and TOKEN not in proc.stdout + proc.stderr
    assert len(github.reviews) == 1 and [s["state"] for s in github.statuses] == ["pending", "failure"]


def test_files_past_githubs_3000_file_listing_go_to_the_summary(github, write_findings, run_cli):
    many = [{"filename": f"src/f{i:04}.py", "status": "added", "patch": added_patch(2)} for i in range(3050)]
    github.pulls[7] = FakePull(7, "a" * 40, many)
    findings = [finding("src/f2999.py", 1, message="listed"), finding("src/f3020.py", 1, message="unlisted")]
    assert run_cli(*review_args(write_findings(findings), github)).code == 0
    assert [c["path"] for c in github.reviews[0]["_comments"]] == ["src/f2999.py"]
    assert "Not on changed lines (1)" in summary_comments(github)[0]["body"]
    assert len([p for _, p in github.requests if "/pulls/7/files" in p]) == 30
