"""Acceptance: a review that ends, findings that come back, 6,000 findings, silenced findings.

Every run goes through the CLI against the fake GitHub on 127.0.0.1, which checks every inline
comment against the PR's patch, keeps GitHub's review states and threads, and answers GraphQL.
"""

from __future__ import annotations

import json

from tests.review.conftest import finding
from tests.review.fake_github import BOT, FakePull
from tests.review.test_review_github import MODELING, added_patch, review_args, summary_comments

PATCH_FILES = [{"filename": MODELING, "status": "added", "patch": added_patch(40)}]
A = finding(MODELING, 5, "SCF101", message="A: first problem")
B = finding(MODELING, 9, "SCF102", message="B: second problem")
C = finding(MODELING, 20, "SCF103", "warning", message="C: a warning")


def _run(run_cli, github, write_findings, findings, *extra):
    result = run_cli(*review_args(write_findings(findings), github, "--request-changes-on", "error", *extra))
    assert result.code == 0, result.err
    return result


def _threads(github):
    return {t["first"]["body"].split("\n")[2]: t for t in github.threads(7)}


def test_three_pushes_ending_fixed_then_a_fourth_restoring_a_finding(github, write_findings, run_cli):
    github.pulls[7] = FakePull(7, "1" * 40, PATCH_FILES)
    _run(run_cli, github, write_findings, [A, B, C])
    assert [r["state"] for r in github.reviews] == ["CHANGES_REQUESTED"]

    github.push(7, "2" * 40, PATCH_FILES)  # fixes A only
    _run(run_cli, github, write_findings, [B, C])
    assert _threads(github)["A: first problem"]["isResolved"]
    assert not _threads(github)["B: second problem"]["isResolved"]
    assert github.statuses[-1]["state"] == "failure" and github.dismissals == []

    github.push(7, "3" * 40, PATCH_FILES)  # fixes everything
    result = _run(run_cli, github, write_findings, [])
    assert [r["state"] for r in github.reviews] == ["DISMISSED"]  # the bot's own CHANGES_REQUESTED
    assert all(t["isResolved"] for t in github.threads(7))
    assert github.statuses[-1]["state"] == "success" and github.statuses[-1]["sha"] == "3" * 40
    assert "Fixed since the last run (2)" in summary_comments(github)[0]["body"]
    assert "resolved 2 fixed threads" in result.out and "dismissed 1 earlier review" in result.out

    github.push(7, "4" * 40, PATCH_FILES)  # A comes back
    result = _run(run_cli, github, write_findings, [A])
    new = github.reviews[-1]
    assert new["state"] == "CHANGES_REQUESTED" and [c["line"] for c in new["_comments"]] == [5]
    assert "A: first problem" in new["_comments"][0]["body"] and "1 new inline comment" in result.out
    assert github.statuses[-1]["state"] == "failure"


def test_a_thread_someone_replied_to_is_left_open(github, write_findings, run_cli):
    github.pulls[7] = FakePull(7, "1" * 40, PATCH_FILES)
    _run(run_cli, github, write_findings, [A, B])
    first = next(c for c in github.review_comments if "A: first problem" in c["body"])
    github.reply(first["id"], "I think this is intended", login="contributor")
    github.push(7, "2" * 40, PATCH_FILES)
    _run(run_cli, github, write_findings, [])
    threads = _threads(github)
    assert not threads["A: first problem"]["isResolved"] and threads["B: second problem"]["isResolved"]


def test_without_graphql_the_review_still_lands(github, write_findings, run_cli):
    github.graphql_down = True
    github.pulls[7] = FakePull(7, "1" * 40, PATCH_FILES)
    _run(run_cli, github, write_findings, [A])
    assert len(github.reviews) == 1 and github.statuses[-1]["state"] == "failure"


def test_6000_findings_degrade_to_a_capped_review_a_counted_summary_and_a_status(github, write_findings, run_cli):
    files = [
        {"filename": f"src/transformers/f{n}.py", "status": "added", "patch": added_patch(600)} for n in range(10)
    ]
    github.pulls[7] = FakePull(7, "1" * 40, files)
    many = [finding(f"src/transformers/f{n % 10}.py", n // 10 + 1, "SCF312", "warning") for n in range(6000)]
    result = run_cli(*review_args(write_findings(many), github))
    assert result.code == 0, result.err
    assert len(github.reviews) == 1 and len(github.reviews[0]["_comments"]) == 30
    body = summary_comments(github)[0]["body"]
    assert "**6000 findings**" in body and "Over the inline-comment limit (5970)" in body
    assert "and 5870 more" in body and len(body) < 65_536
    assert [s["state"] for s in github.statuses] == ["pending", "success"]
    assert github.statuses[-1]["description"] == "0 errors, 6000 warnings, 0 info"


def test_a_finding_silenced_by_the_pr_is_not_called_fixed(github, write_findings, run_cli):
    github.pulls[7] = FakePull(7, "1" * 40, PATCH_FILES)
    assert run_cli(*review_args(write_findings([A]), github)).code == 0
    # The push adds `# scaffold: ignore[SCF101]` on the line instead of fixing it.
    suppressing = added_patch(40).replace("+line 5", "+line 5  # scaffold: ignore[SCF101]")
    github.push(7, "2" * 40, [{"filename": MODELING, "status": "added", "patch": suppressing}])
    assert run_cli(*review_args(write_findings([]), github)).code == 0
    body = summary_comments(github)[0]["body"]
    assert "Suppressed by this PR (1)" in body and "Fixed since the last run" not in body
    assert (
        github.statuses[-1]["state"] == "failure" and "1 suppressed by this PR" in github.statuses[-1]["description"]
    )
    # Under the `report` policy the same PR is listed, not failed.
    assert run_cli(*review_args(write_findings([]), github, "--suppressed-by-pr", "report")).code == 0


def test_a_pr_that_edits_the_workflows_or_tool_scaffold_cannot_turn_the_status_green(github, write_findings, run_cli):
    for path, patch in [
        (".github/workflows/scaffold-check.yml", "@@ -1,2 +1,2 @@\n name: x\n-run: scaffold check\n+run: echo {}"),
        ("pyproject.toml", '@@ -1,2 +1,3 @@\n [tool.scaffold]\n+ignore = ["SCF"]\n x = 1'),
    ]:
        github.pulls[7] = FakePull(7, "1" * 40, [*PATCH_FILES, {"filename": path, "patch": patch}])
        assert run_cli(*review_args(write_findings([]), github)).code == 0
        assert github.statuses[-1]["state"] == "failure", path
        assert "cannot vouch" in summary_comments(github)[-1]["body"]
        github.issue_comments.clear()


def test_filter_modes_and_fail_level(github, write_findings, run_cli):
    patch = "@@ -1,4 +1,5 @@\n ctx1\n+new2\n ctx3\n ctx4\n ctx5"
    github.pulls[7] = FakePull(7, "1" * 40, [{"filename": MODELING, "patch": patch}])
    on_added = finding(MODELING, 2, "SCF101", message="on the added line")
    on_context = finding(MODELING, 4, "SCF102", "warning", message="on a context line")
    elsewhere = finding("src/transformers/other.py", 1, "SCF103", "info", message="in a file the PR leaves alone")
    findings = [on_added, on_context, elsewhere]
    expected = {"added": 1, "diff_context": 2, "file": 2, "nofilter": 3}
    for mode, kept in expected.items():
        result = run_cli(*review_args(write_findings(findings), github, "--dry-run", "--filter-mode", mode))
        plan = json.loads(result.out)
        assert len(plan["placements"]) == kept, mode
    args = review_args(write_findings([on_context]), github, "--dry-run")
    assert run_cli(*args, "--fail-level", "warning").code == 1
    assert run_cli(*args, "--fail-level", "error").code == 0
    assert run_cli(*args).code == 0  # default: none
    bad = run_cli(*args, "--filter-mode", "everything")
    assert bad.code == 2 and "--filter-mode" in bad.err


def test_a_failing_bot_leaves_a_failure_status_with_the_reason(github, write_findings, run_cli):
    from tests.review.fake_github import Fault

    github.pulls[7] = FakePull(7, "1" * 40, PATCH_FILES)
    github.faults.append(Fault("POST", r"/issues/7/comments$", 502, times=10))
    result = run_cli(*review_args(write_findings([A]), github))
    assert result.code == 2 and "summary comment" in result.err
    assert len(github.reviews) == 1  # the review had landed
    assert github.statuses[-1]["state"] == "failure" and "summary not posted" in github.statuses[-1]["description"]


def test_a_summary_post_that_failed_after_writing_is_not_posted_twice(github, write_findings, run_cli):
    from tests.review.fake_github import Fault

    github.pulls[7] = FakePull(7, "1" * 40, PATCH_FILES)
    github.faults.append(Fault("POST", r"/issues/7/comments$", 502, after=True))
    assert run_cli(*review_args(write_findings([A]), github)).code == 0
    assert len([c for c in github.issue_comments if c["user"]["login"] == BOT]) == 1
    assert github.statuses[-1]["state"] == "failure" and github.statuses[-1]["target_url"]


def test_a_failed_check_run_still_gets_a_status(github, write_findings, run_cli, tmp_path):
    github.pulls[7] = FakePull(7, "1" * 40, PATCH_FILES)
    missing = tmp_path / "no-artifact" / "findings.json"
    result = run_cli(*review_args(missing, github, "--check-conclusion", "failure"))
    assert result.code == 0, result.err
    assert github.statuses[-1]["state"] == "failure" and "'failure'" in github.statuses[-1]["description"]


def test_a_check_that_has_only_started_gets_a_pending_status(github, write_findings, run_cli, tmp_path):
    github.pulls[7] = FakePull(7, "1" * 40, PATCH_FILES)
    result = run_cli(*review_args(tmp_path / "not-yet.json", github, "--check-conclusion", "running"))
    assert result.code == 0, result.err
    assert [(s["state"], s["sha"]) for s in github.statuses] == [("pending", "1" * 40)]
    assert github.reviews == [] and github.issue_comments == []
