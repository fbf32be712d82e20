"""The findings artifact is hostile input.

A document that is not an artifact at all is one line, exit 2, and its only write is a `failure`
status that says why. One bad entry is skipped and listed; every other finding is still reviewed.
"""

from __future__ import annotations

import json
import os
import re

import pytest

from tests.review.conftest import SLUG, artifact, finding
from tests.review.fake_github import FakePull
from tests.review.test_review_github import files
from transformers_scaffold.errors import UserError
from transformers_scaffold.review.findings import confine_path, parse_artifact, parse_findings
from transformers_scaffold.review.sanitize import code_span, markdown_text, one_line, redact

GOOD = finding("src/a.py", 3)


def _bytes(findings, **top) -> bytes:
    return json.dumps({**artifact(findings), **top}).encode()


BAD_DOCUMENTS = {
    "oversized": (b" " * (5 * 1024 * 1024 + 1), "over the"),
    "not-json": (b"{not json", "not UTF-8 JSON"),
    "not-utf8": (b"\xff\xfe{}", "not UTF-8 JSON"),
    "deep-nesting": (b"[" * 100_000 + b"]" * 100_000, "not UTF-8 JSON"),
    "wrong-tool": (_bytes([GOOD], tool="other"), "schema"),
    "wrong-version": (_bytes([GOOD], version=9), "schema at version"),
    "findings-not-a-list": (
        json.dumps({"version": 1, "tool": "transformers-scaffold", "findings": {}}).encode(),
        "schema at findings",
    ),
}
BAD_ENTRIES = {
    "path-parent": ({**GOOD, "path": "../../etc/passwd"}, "leaves the repository"),
    "path-inner-parent": ({**GOOD, "path": "src/../../x.py"}, "leaves the repository"),
    "path-absolute": ({**GOOD, "path": "/etc/passwd"}, "absolute path|findings/0/path"),
    "path-windows": ({**GOOD, "path": "C:/Windows/x.py"}, "absolute path"),
    "path-nul": ({**GOOD, "path": "src/a.py\u0000.md"}, "forbidden characters"),
    "path-html": ({**GOOD, "path": "src/<script>.py"}, "forbidden characters"),
    "path-git": ({**GOOD, "path": ".git/config"}, "into .git"),
    "bad-severity": ({**GOOD, "severity": "fatal"}, "schema at findings/0"),
    "bad-code": ({**GOOD, "code": "<b>"}, "schema at findings/0/code"),
    "negative-line": ({**GOOD, "line": -1}, "schema at findings/0/line"),
    "zero-line-for-the-checker": ({**GOOD, "line": 0, "end_line": 0}, "schema at findings/0/line"),
    "huge-message": ({**GOOD, "message": "x" * 5000}, "schema at findings/0/message"),
    "end-before-start": ({**GOOD, "line": 9, "end_line": 2}, "before line"),
}
MODELING = "src/transformers/models/acme/modeling_acme.py"


@pytest.mark.parametrize("case", sorted(BAD_DOCUMENTS))
def test_a_document_that_is_not_an_artifact_is_refused_with_a_failure_status(case, github, write_findings, run_cli):
    raw, expected = BAD_DOCUMENTS[case]
    github.pulls[7] = FakePull(7, "a" * 40, files())
    result = run_cli(
        "review", "--findings", write_findings(raw=raw), "--repo-slug", SLUG, "--pr", "7", "--api-url", github.url
    )
    assert result.code == 2
    assert result.err.startswith("error: findings artifact") and result.err.count("\n") == 1
    assert re.search(expected, result.err)
    assert [m for m, _ in github.requests if m != "GET"] == ["POST"]  # the status, nothing else
    assert github.reviews == [] and github.issue_comments == []
    assert github.statuses[-1]["state"] == "failure" and "refused the artifact" in github.statuses[-1]["description"]


@pytest.mark.parametrize("case", sorted(BAD_ENTRIES))
def test_one_bad_entry_is_skipped_and_listed_and_the_rest_is_reviewed(case, github, write_findings, run_cli):
    entry, expected = BAD_ENTRIES[case]
    github.pulls[7] = FakePull(7, "a" * 40, files())
    good = finding(MODELING, 5, "SCF101", message="the good one")
    raw = _bytes([entry, good])
    result = run_cli(
        "review", "--findings", write_findings(raw=raw), "--repo-slug", SLUG, "--pr", "7", "--api-url", github.url
    )
    assert result.code == 0, result.err
    assert [c["path"] for c in github.reviews[0]["_comments"]] == [MODELING]
    summary = github.issue_comments[0]["body"]
    assert "Invalid entries in the findings artifact (1)" in summary
    listed = summary.split("Invalid entries in the findings artifact (1)")[1].split("\n\n")[0]
    assert re.search(expected.replace("/", "/").replace("findings/0", "findings/0"), listed.replace("\\", ""))
    assert "etc/passwd" not in summary and "<script>" not in summary and "xxxxxxxx" not in summary
    assert (
        github.statuses[-1]["state"] == "failure" and "1 invalid entries skipped" in github.statuses[-1]["description"]
    )


def test_missing_findings_file_is_a_usage_error(run_cli, tmp_path):
    result = run_cli("review", "--findings", tmp_path / "nope.json", "--repo-slug", SLUG, "--pr", "1")
    assert result.code == 2 and "cannot read findings file" in result.err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--repo-slug", "not-a-slug", "--pr", "1"], "is not OWNER/NAME"),
        (["--repo-slug", "a/..", "--pr", "1"], "is not OWNER/NAME"),
        (["--repo-slug", SLUG], "no pull request to review"),
        (["--pr", "1"], "no repository to review"),
        (["--repo-slug", SLUG, "--pr", "0"], "positive"),
        (["--repo-slug", SLUG, "--pr", "1", "--fail-on", "fatal"], "--fail-on got fatal"),
    ],
)
def test_bad_arguments_are_one_line_usage_errors(args, expected, write_findings, run_cli):
    result = run_cli("review", "--findings", write_findings([GOOD]), *args)
    assert result.code == 2 and expected in result.err and result.err.count("\n") == 1


def test_valid_artifact_is_normalized_and_deduplicated():
    raw = _bytes([{**GOOD, "path": "./src//a.py"}, GOOD, {**GOOD, "end_line": 1, "line": 1}])
    parsed = parse_findings(raw)
    assert [(f.path, f.line, f.end_line) for f in parsed] == [("src/a.py", 1, 1), ("src/a.py", 3, 3)]


def test_the_checkers_schema_and_the_review_caps_both_apply():
    parsed = parse_artifact(_bytes([{**GOOD, "code": "AB12"}, {**GOOD, "code": "SCF1234"}, GOOD]))
    assert [f.code for f in parsed.findings] == ["SCF101"]
    assert parsed.skipped == (
        "entry 0: fails its schema at findings/0/code (pattern)",  # a valid code shape for neither
        "entry 1: fails its schema at findings/1/code (pattern)",  # fine for the review, not the checker
    )
    many = parse_artifact(_bytes([{**GOOD, "line": n, "end_line": n} for n in range(1, 6001)]))
    assert len(many.findings) == 6000 and many.skipped == ()  # no cap on the count: the review caps itself


@pytest.mark.parametrize(
    "path", ["a/b.py", "docs/source/en/model_doc/acme.md", "x.y/z-w_1.py", ".github/workflows/a.yml"]
)
def test_ordinary_paths_are_kept(path):
    assert confine_path(path) == path


def test_confine_path_rejects_backslash_traversal():
    with pytest.raises(UserError):
        confine_path("..\\..\\x")


def test_markdown_text_neutralizes_html_links_mentions_and_markers():
    text = markdown_text("hi @team see #12 <!-- x --> ![i](http://t/p.png) [l](javascript:x) **b**\u202e\nnext")
    assert "<" not in text and "@team" not in text and "#12" not in text
    assert "](" not in text and "**" not in text and "\u202e" not in text and "\n" not in text


def test_one_line_caps_length():
    assert one_line("word " * 500, 50).endswith("…") and len(one_line("word " * 500, 50)) == 50


def test_code_span_cannot_be_closed_early():
    span = code_span("a``b`c")
    fence = span.split(" ", 1)[0]
    assert fence == "```" and span.endswith(" ```")


def test_redact_replaces_every_occurrence_and_ignores_short_strings():
    assert redact("t=SECRET1 and SECRET1", ["SECRET1"]) == "t=*** and ***"
    assert redact("abc", ["", "ab"]) == "abc"


def test_symlinked_or_special_findings_files_are_refused(tmp_path, run_cli):
    secret = tmp_path / "runner-secret.json"
    secret.write_text('{"not": "findings"}')
    link = tmp_path / "findings.json"
    link.symlink_to(secret)
    result = run_cli("review", "--findings", link, "--repo-slug", SLUG, "--pr", "1")
    assert result.code == 2 and "cannot read findings file" in result.err
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    result = run_cli("review", "--findings", fifo, "--repo-slug", SLUG, "--pr", "1")
    assert result.code == 2 and "not a regular file" in result.err


def test_code_spans_in_messages_stay_code_but_cannot_carry_markers():
    text = markdown_text("set `_no_split_modules` not `<!-- scaffold-review:state AAAA -->` @`x`")
    assert "` _no_split_modules `" in text and "\\_" not in text.split("not")[0]
    assert "<" not in text and "<!--" not in text


def test_the_checkers_schema_is_found():
    from transformers_scaffold.review.findings import _validators

    ids = [v.schema["$id"] for v, _ in _validators()]
    assert len(ids) == 2 and "review" not in ids[0]


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        ("# looks like a heading", "# "),
        ("--- a rule", "---"),
        ("=== setext", "==="),
        ("- a list item", "- a"),
        ("1. an ordered list", "1. "),
        ("see GH-12 for why", "GH-12"),
        ("https://github.com/acme/transformers/issues/9", "https://"),
        ("www.example.com/pull/3", "www."),
        ("acme/transformers#4 again", "#4"),
        ("introduced by deadbeef1234 in", "deadbeef1234"),
        ("ask @huggingface/maintainers", "@huggingface"),
    ],
)
def test_autolinks_headings_rules_lists_and_mentions_are_neutralized(text, forbidden):
    rendered = markdown_text(text)
    if text[0] in "#-=" or text[0].isdigit():  # block syntax: escaped where the line starts
        assert re.match(r"^(\\[#=-]|\d+\\[.)])", rendered), rendered
    else:
        assert forbidden not in rendered
    assert rendered.replace("\u2060", "").replace("\\", "") == text.replace(">", "&gt;")  # reads the same
