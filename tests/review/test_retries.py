"""Retries: 5xx, rate limits with Retry-After, a review POST that failed after writing; no real sleeps."""

from __future__ import annotations

import logging

import pytest

from tests.review.conftest import SLUG, TOKEN, finding
from tests.review.fake_github import FakePull, Fault
from tests.review.test_review_github import MODELING, files
from transformers_scaffold.errors import UserError
from transformers_scaffold.review.retry import RetryPolicy, retry_delay
from transformers_scaffold.review.run import ReviewOptions, run_review


@pytest.fixture
def review(github, write_findings, caplog):
    """Run the review in-process with a recording sleeper; the token must never reach the logs."""
    caplog.set_level(logging.DEBUG)
    github.pulls[7] = FakePull(7, "a" * 40, files())
    slept: list[float] = []

    def run(findings=None):
        path = write_findings(findings or [finding(MODELING, 3, message="A")])
        options = ReviewOptions(findings=path, repo_slug=SLUG, pr=7, api_url=github.url, token=TOKEN)
        return run_review(options, sleep=slept.append, clock=lambda: 1_000_000.0)

    run.slept = slept
    yield run
    assert TOKEN not in caplog.text


def test_5xx_on_reads_is_retried_with_backoff(github, review):
    github.faults.append(Fault("GET", r"/pulls/7/files$", 502, times=2))
    outcome = review()
    assert outcome.posted_review and len(github.reviews) == 1
    assert review.slept == [1.0, 2.0]


def test_rate_limit_honours_retry_after_on_any_method(github, review):
    github.faults.append(Fault("POST", r"/pulls/7/reviews$", 429, headers={"Retry-After": "7"}))
    github.faults.append(
        Fault("POST", r"/statuses/", 403, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1000004"})
    )
    review()
    assert (
        len(github.reviews) == 1
        and [s["state"] for s in github.statuses][0] == "pending"
        and len(github.statuses) == 2
    )
    assert review.slept == [5.0, 7.0]  # the pending status: reset - now + 1; the review: Retry-After


def test_review_post_that_failed_after_writing_is_not_posted_twice(github, review):
    github.faults.append(Fault("POST", r"/pulls/7/reviews$", 502, after=True))
    outcome = review()
    assert len(github.reviews) == 1 and len(github.review_comments) == 1
    assert outcome.new_comments == 1  # the retry found the comment already there: it counts as posted
    assert len(github.statuses) == 2


def test_review_post_that_failed_without_writing_is_retried(github, review):
    github.faults.append(Fault("POST", r"/pulls/7/reviews$", 503))
    assert review().posted_review and len(github.reviews) == 1


def test_persistent_outage_is_one_redacted_line(github, review):
    github.faults.append(Fault("GET", r"/pulls/7$", 503, times=99, body={"message": f"down; your token {TOKEN}"}))
    with pytest.raises(UserError) as excinfo:
        review()
    message = str(excinfo.value)
    assert "\n" not in message and TOKEN not in message and "re-run the workflow later" in message
    assert len(review.slept) == RetryPolicy().max_attempts - 1


def test_retry_after_beyond_the_bound_is_not_waited_for(github, review):
    github.faults.append(
        Fault("GET", r"/pulls/7$", 429, headers={"Retry-After": "3600"}, body={"message": "slow down"})
    )
    with pytest.raises(UserError, match="429"):
        review()
    assert review.slept == []


def test_a_long_secondary_rate_limit_is_named_as_such_not_as_a_missing_permission(github, review):
    github.faults.append(
        Fault("GET", r"/pulls/7$", 403, headers={"Retry-After": "3600"}, body={"message": "secondary limit"})
    )
    with pytest.raises(UserError) as excinfo:
        review()
    message = str(excinfo.value)
    assert "rate limit" in message and "3600" in message and "permission" not in message


@pytest.mark.parametrize(
    ("status", "method", "url", "headers", "body", "expected"),
    [
        (502, "GET", "/repos/o/r/pulls/1/files", {}, "", 4.0),
        (502, "POST", "/repos/o/r/pulls/1/reviews", {}, "", None),  # the caller re-plans instead
        (502, "POST", "/repos/o/r/statuses/abc", {}, "", 4.0),
        (503, "PATCH", "/repos/o/r/issues/comments/1", {"Retry-After": "2"}, "", 2.0),
        (403, "POST", "/repos/o/r/pulls/1/reviews", {}, "You have exceeded a secondary rate limit", 60.0),
        (403, "GET", "/repos/o/r", {}, "Resource not accessible by integration", None),
        (404, "GET", "/repos/o/r", {}, "", None),
        (429, "GET", "/x", {"Retry-After": "Thu, 01 Jan 1970 11:46:50 GMT"}, "", 10.0),
    ],
)
def test_retry_policy(status, method, url, headers, body, expected):
    delay = retry_delay(
        RetryPolicy(), attempt=3, method=method, url=url, status=status, headers=headers, body=body, now=42_400.0
    )
    assert delay == expected


def test_retry_policy_gives_up_after_max_attempts():
    policy = RetryPolicy(max_attempts=3)
    common = {"method": "GET", "url": "/x", "status": 500, "headers": {}, "body": "", "now": 0.0}
    assert retry_delay(policy, attempt=2, **common) == 2.0
    assert retry_delay(policy, attempt=3, **common) is None


@pytest.mark.parametrize(
    ("api_url", "base"),
    [
        ("https://api.github.com", "https://api.github.com"),
        ("https://api.github.com/", "https://api.github.com"),
        ("https://api.acme.ghe.com", "https://api.acme.ghe.com"),
        ("https://ghe.example.com", "https://ghe.example.com/api/v3"),
        ("https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3"),
    ],
)
def test_api_url_forms(api_url, base):
    from transformers_scaffold.review.github_adapter import GitHubClient

    assert GitHubClient(api_url, TOKEN)._gh.session.base_url == base


def test_dropped_connections_are_retried_for_reads_and_replanned_for_reviews(github, review):
    from tests.review.fake_github import DROP

    github.faults.append(Fault("GET", r"/pulls/7/comments$", DROP))
    github.faults.append(Fault("POST", r"/pulls/7/reviews$", DROP, after=True))
    review()
    assert len(github.reviews) == 1 and len(github.review_comments) == 1
    assert len(github.statuses) == 2 and review.slept == [1.0, 2.0]
