"""The review builder is a pure function: findings + diff + prior state -> what to post. No HTTP."""

from __future__ import annotations

import pytest

from transformers_scaffold.review.builder import PriorRun, ReviewConfig, build_review
from transformers_scaffold.review.diff import file_diff, right_side_hunks
from transformers_scaffold.review.findings import Finding
from transformers_scaffold.review.markers import (
    Seen,
    comment_fingerprint,
    decode_state,
    encode_state,
    fingerprint_all,
    is_summary,
)
from transformers_scaffold.review.render import MAX_BODY_CHARS

PATCH = "\n".join(
    [
        "@@ -10,4 +10,5 @@ class Acme:",
        " ctx10",
        "-old",
        "+new11",
        "+new12",
        " ctx13",
        " ctx14",
        "@@ -40,2 +41,2 @@",
        " ctx41",
        "-gone",
        "+new42",
        "\\ No newline at end of file",
    ]
)


def F(
    line: int,
    path: str = "m.py",
    code: str = "SCF101",
    severity: str = "error",
    end: int | None = None,
    message: str = "",
) -> Finding:  # noqa: N802
    return Finding(
        path=path,
        line=line,
        end_line=end or line,
        code=code,
        severity=severity,
        message=message or f"{code} at {line}",
    )


FILES = {"m.py": file_diff("m.py", "modified", PATCH)}


def test_right_side_hunks_follow_added_and_context_lines():
    assert right_side_hunks(PATCH) == ((10, 14), (41, 42))
    assert right_side_hunks("@@ -1,2 +0,0 @@\n-a\n-b") == ()
    assert right_side_hunks(None) == ()


def test_removed_and_binary_files_have_no_commentable_lines():
    assert file_diff("x", "removed", PATCH).hunks == ()
    assert file_diff("logo.png", "added", None).anchor(1, 1) is None


@pytest.mark.parametrize(
    ("start", "end", "anchor"),
    [
        (11, 11, (None, 11)),
        (11, 13, (11, 13)),
        (12, 20, (12, 14)),  # clipped to the hunk that holds the start
        (5, 10, (None, 10)),  # starts before the hunk: moved to where the diff begins
        (15, 40, None),
        (40, 41, (None, 41)),
        (43, 43, None),
    ],
)
def test_anchor(start, end, anchor):
    assert FILES["m.py"].anchor(start, end) == anchor


def test_findings_are_placed_inline_or_in_the_summary():
    findings = [F(11), F(12, end=13, severity="warning"), F(30), F(1, path="other.py", severity="info")]
    plan = build_review(findings, FILES, commit_sha="a" * 40)
    assert [(c.finding.line, c.start_line, c.line) for c in plan.comments] == [(11, None, 11), (12, 12, 13)]
    assert {p.finding.line: p.placement for p in plan.placed} == {
        11: "inline",
        12: "inline",
        30: "off-diff",
        1: "off-diff",
    }
    assert plan.event == "COMMENT" and plan.status.state == "failure"
    assert plan.status.description == "2 errors, 1 warning, 1 info"
    api = plan.comments[1].as_api()
    assert api == {
        "path": "m.py",
        "line": 13,
        "side": "RIGHT",
        "start_line": 12,
        "start_side": "RIGHT",
        "body": api["body"],
    }
    assert "position" not in api
    assert all(comment_fingerprint(c.body) == c.fingerprint for c in plan.comments)
    assert is_summary(plan.summary) and "Not on changed lines (2)" in plan.summary


def test_never_approve_and_request_changes_only_when_configured():
    assert build_review([F(11, severity="warning")], FILES, commit_sha="a" * 40).event == "COMMENT"
    config = ReviewConfig(request_changes_on=frozenset({"warning"}), fail_on=frozenset())
    plan = build_review([F(11, severity="warning")], FILES, commit_sha="a" * 40, config=config)
    assert plan.event == "REQUEST_CHANGES" and plan.status.state == "success"
    assert build_review([], FILES, commit_sha="a" * 40, config=config).event == "COMMENT"


def test_inline_limit_spills_into_the_summary_errors_first():
    findings = [F(11, severity="info", message=f"i{n}") for n in range(5)] + [F(12, message="e")]
    plan = build_review(findings, FILES, commit_sha="a" * 40, config=ReviewConfig(max_inline=2))
    assert len(plan.comments) == 2 and plan.comments[0].finding.severity == "error"
    assert sum(p.placement == "over-limit" for p in plan.placed) == 4
    assert "Over the inline-comment limit (4)" in plan.summary


def test_already_posted_findings_are_not_reposted_and_fixed_ones_are_reported():
    first = build_review([F(11), F(13)], FILES, commit_sha="a" * 40)
    posted = frozenset(c.fingerprint for c in first.comments)
    prior = PriorRun(posted=posted, open_before=tuple(decode_state(first.summary)), summary_exists=True)
    second = build_review([F(12, message="SCF101 at 11"), F(42)], FILES, commit_sha="b" * 40, prior=prior)
    # The first finding moved from 11 to 12 with the same message: same fingerprint, not reposted.
    assert [c.finding.line for c in second.comments] == [42]
    assert [s.line for s in second.fixed] == [13]
    assert "Fixed since the last run (1)" in second.summary
    assert second.status.description.endswith("; 1 fixed since last run")


def test_refused_comments_move_to_the_summary_with_the_reason():
    plan = build_review([F(11), F(12)], FILES, commit_sha="a" * 40)
    refused = frozenset({plan.comments[0].fingerprint})
    again = build_review([F(11), F(12)], FILES, commit_sha="a" * 40, refused=refused, refused_reason="422 <b>nope</b>")
    assert [c.finding.line for c in again.comments] == [12]
    assert "GitHub refused these inline comments (1)" in again.summary and "&lt;b&gt;nope" in again.summary


def test_no_summary_on_a_clean_first_run_but_an_all_clear_after_findings():
    assert build_review([], FILES, commit_sha="a" * 40).summary is None
    prior = PriorRun(open_before=(Seen("0" * 16, "SCF101", "m.py", 11),), summary_exists=True)
    plan = build_review([], FILES, commit_sha="a" * 40, prior=prior)
    assert "No findings" in plan.summary and "Fixed since the last run (1)" in plan.summary
    assert plan.status.state == "success"


def test_identical_findings_get_distinct_stable_fingerprints():
    pairs = fingerprint_all([F(11, message="same"), F(20, message="same")])
    assert len({fp for fp, _ in pairs}) == 2
    assert fingerprint_all([F(15, message="same"), F(30, message="same")]) == [
        (pairs[0][0], F(15, message="same")),
        (pairs[1][0], F(30, message="same")),
    ]


def test_summary_stays_under_githubs_body_limit():
    findings = [F(100 + n, path=f"src/{'deep/' * 30}file{n}.py", message="m" * 400) for n in range(3000)]
    plan = build_review(findings, {}, commit_sha="a" * 40)
    assert len(plan.summary) < MAX_BODY_CHARS
    assert len(decode_state(plan.summary)) > 50  # enough state survives to report fixes


def test_state_roundtrip_and_garbage():
    seen = [Seen("0123456789abcdef", "SCF1", "a.py", 3)]
    assert decode_state("x\n" + encode_state(seen)) == seen
    assert decode_state("<!-- scaffold-review:state !!! -->") == []
    assert decode_state("<!-- scaffold-review:state bm90IGpzb24= -->") == []


def test_whole_file_findings_go_to_the_summary():
    plan = build_review([F(0, path="m.py")], FILES, commit_sha="a" * 40)
    assert plan.comments == () and "` m.py ` (whole file)" in plan.summary
