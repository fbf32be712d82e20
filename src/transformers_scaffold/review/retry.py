"""When to retry a GitHub API call and how long to wait: a pure policy, no sleeping here.

- Rate limits (429, or 403 with `X-RateLimit-Remaining: 0`, `Retry-After` or a "rate limit"
  message) never processed the request, so any method is retried, after `Retry-After` or until
  `X-RateLimit-Reset`.
- 5xx may have processed the request. Only requests that are safe to repeat are retried here
  (reads, edits, statuses); creating a review is re-planned by the caller instead, after checking
  what landed, so a flaky 502 can never double-post.
- Every wait is bounded: a server asking for more than `max_delay` seconds gets its error surfaced
  instead of a job that hangs until the workflow times out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})
RETRYABLE_SERVER_ERRORS = frozenset({500, 502, 503, 504})
# GitHub's guidance for secondary rate limits without a header: wait at least a minute.
SECONDARY_LIMIT_WAIT = 60.0


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 90.0
    max_total: float = 300.0


def _retry_after(headers: Mapping[str, str], now: float) -> float | None:
    value = headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(parsedate_to_datetime(value).timestamp() - now, 0.0)
    except (TypeError, ValueError, IndexError):
        return None


def is_rate_limited(status: int, headers: Mapping[str, str], body: str) -> bool:
    if status == 429:
        return True
    if status != 403:
        return False
    return headers.get("X-RateLimit-Remaining") == "0" or "Retry-After" in headers or "rate limit" in body.lower()


def retry_delay(
    policy: RetryPolicy,
    *,
    attempt: int,
    method: str,
    url: str,
    status: int,
    headers: Mapping[str, str],
    body: str,
    now: float,
) -> float | None:
    """Seconds to wait before attempt `attempt + 1`, or None to give up and surface the response."""
    if attempt >= policy.max_attempts:
        return None
    backoff = policy.base_delay * 2 ** (attempt - 1)
    if is_rate_limited(status, headers, body):
        delay = _retry_after(headers, now)
        if delay is None and headers.get("X-RateLimit-Remaining") == "0":
            reset = headers.get("X-RateLimit-Reset", "")
            delay = max(float(reset) - now, 0.0) + 1.0 if reset.isdigit() else None
        if delay is None:
            delay = max(backoff, SECONDARY_LIMIT_WAIT)
    elif status in RETRYABLE_SERVER_ERRORS and is_repeatable(method, url):
        delay = _retry_after(headers, now)
        delay = backoff if delay is None else delay
    else:
        return None
    return delay if delay <= policy.max_delay else None


def is_repeatable(method: str, url: str) -> bool:
    """Whether sending the request twice is harmless (a second commit status just restates the first)."""
    method = method.upper()
    # A second commit status restates the first; GraphQL here is reads and `resolveReviewThread`.
    return method in IDEMPOTENT_METHODS or (method == "POST" and ("/statuses/" in url or url.endswith("/graphql")))


def connection_retry_delay(policy: RetryPolicy, *, attempt: int, method: str, url: str) -> float | None:
    if attempt >= policy.max_attempts or not is_repeatable(method, url):
        return None
    return policy.base_delay * 2 ** (attempt - 1)
