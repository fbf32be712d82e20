"""Hidden markers that make the bot idempotent: per-comment fingerprints and the summary's state.

A fingerprint names a finding independently of its line number (code, path, message and the
occurrence index among identical findings in that file), so a push that only shifts lines does not
repost anything. Markers are parsed only at fixed positions of comments the bot itself authored:
the fingerprint is the last line of an inline comment, the summary marker the first line of the
summary, and untrusted text can never contain `<` (see `sanitize`), so they cannot be forged.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from transformers_scaffold.review.findings import Finding
from transformers_scaffold.review.sanitize import one_line

SUMMARY_MARKER = "<!-- scaffold-review:summary -->"
MAX_STATE_ENTRIES = 2000
MAX_STATE_CHARS = 24_000  # keeps the summary under GitHub's 65,536-character body limit
_FP_MARKER = "<!-- scaffold-review:fp={} -->"
_FP_AT_END = re.compile(r"<!-- scaffold-review:fp=([0-9a-f]{16}) -->\s*\Z")
_STATE = re.compile(r"<!-- scaffold-review:state ([A-Za-z0-9+/=]{0,400000}) -->\s*\Z")


@dataclass(frozen=True)
class Seen:
    """What the previous run reported as open, enough to say what has been fixed since."""

    fingerprint: str
    code: str
    path: str
    line: int
    severity: str = ""  # empty in states written before severities were recorded


def fingerprint_all(findings: Iterable[Finding]) -> list[tuple[str, Finding]]:
    """Pair each finding with its fingerprint; identical findings in one file get distinct ones."""
    occurrences: dict[tuple[str, str, str], int] = defaultdict(int)
    paired = []
    for finding in sorted(findings):
        message = one_line(finding.message, 4000)
        key = (finding.code, finding.path, message)
        index = occurrences[key]
        occurrences[key] += 1
        digest = hashlib.sha256("\0".join([*key, str(index)]).encode("utf-8")).hexdigest()
        paired.append((digest[:16], finding))
    return paired


def fingerprint_marker(fingerprint: str) -> str:
    return _FP_MARKER.format(fingerprint)


def comment_fingerprint(body: str | None) -> str | None:
    match = _FP_AT_END.search(body or "")
    return match.group(1) if match else None


def is_summary(body: str | None) -> bool:
    return (body or "").lstrip().startswith(SUMMARY_MARKER)


def encode_state(seen: Iterable[Seen], max_chars: int = MAX_STATE_CHARS) -> str:
    """The hidden state line; entries past the size budget are dropped (newest runs win)."""
    rows: list[list[object]] = []
    size = 0
    for s in list(seen)[:MAX_STATE_ENTRIES]:
        row = [s.fingerprint, s.code, s.path[:200], s.line, s.severity]
        size += len(json.dumps(row)) + 1
        if size * 4 // 3 > max_chars:
            break
        rows.append(row)
    payload = base64.b64encode(json.dumps({"v": 1, "open": rows}, separators=(",", ":")).encode()).decode()
    return f"<!-- scaffold-review:state {payload} -->"


def decode_state(body: str | None) -> list[Seen]:
    """The open findings recorded in a previous summary; anything malformed reads as none."""
    match = _STATE.search(body or "")
    if not match:
        return []
    try:
        document = json.loads(base64.b64decode(match.group(1), validate=True))
        rows = document["open"]
        seen = []
        for row in rows[:MAX_STATE_ENTRIES]:
            fp, code, path, line, *rest = row
            severity = str(rest[0]) if rest and rest[0] in ("error", "warning", "info") else ""
            if re.fullmatch(r"[0-9a-f]{16}", str(fp)):
                seen.append(Seen(str(fp), str(code), str(path), int(line), severity))
        return seen
    except (binascii.Error, ValueError, KeyError, TypeError):
        return []
