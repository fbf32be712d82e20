"""Make untrusted text safe to show on GitHub, and keep secrets out of what we print.

The findings artifact is written by a workflow that ran PR code, so its text is attacker-controlled.
Everything from it that reaches a comment goes through `markdown_text`: one line, bounded, no HTML,
no Markdown links or images (tracking pixels), no @mentions or #references (notification spam), and
no way to forge our hidden `<!-- ... -->` markers, because `<` never survives.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable

ELLIPSIS = "…"
# Zero-width word joiner: breaks GitHub's @mention / #123 autolinking without changing how it reads.
_WORD_JOINER = "\u2060"
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]()!|~{}])")
_MENTION_OR_REF = re.compile(r"([@#])(?=[\w-])")
# GitHub autolinks `GH-123`, bare URLs and `www.` hosts, and commit SHAs (7 to 40 hex digits).
_GH_REF = re.compile(r"(?i)\b(GH)(-\d)")
_URL = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*)(:)(//)")
_WWW = re.compile(r"(?i)\b(www)(\.)")
_SHA = re.compile(r"\b([0-9a-f])(?=[0-9a-f]{6,39}\b)(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])")
# At the start of a line these open a heading, a rule, a list, a quote or a setext underline.
_BLOCK_START = re.compile(r"^(#|>|-|\+|=|\d+(?=[.)]))")
_REDACTED = "***"
_CODE_SPAN = re.compile(r"(`+)([^`]+?)\1(?!`)")
_ANGLE_LOOKALIKES = str.maketrans({"<": "\u2039", ">": "\u203a"})


def _is_visible(char: str) -> bool:
    # Cc: control characters; Cf: format characters such as bidi overrides (Trojan Source) and
    # zero-width spaces that could hide text from a reviewer.
    return unicodedata.category(char) not in {"Cc", "Cf", "Cs", "Co", "Cn"}


def one_line(text: str, limit: int) -> str:
    """`text` as one visible line of at most `limit` characters."""
    cleaned = "".join(ch if _is_visible(ch) else " " for ch in str(text))
    collapsed = " ".join(cleaned.split())
    if len(collapsed) > limit:
        collapsed = collapsed[: max(limit - 1, 0)].rstrip() + ELLIPSIS
    return collapsed


def _prose(text: str) -> str:
    escaped = html.escape(text, quote=False)
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", escaped)
    escaped = _MENTION_OR_REF.sub(lambda m: m.group(1) + _WORD_JOINER, escaped)
    escaped = _GH_REF.sub(lambda m: m.group(1) + _WORD_JOINER + m.group(2), escaped)
    escaped = _URL.sub(lambda m: m.group(1) + m.group(2) + _WORD_JOINER + m.group(3), escaped)
    escaped = _WWW.sub(lambda m: m.group(1) + _WORD_JOINER + m.group(2), escaped)
    return _SHA.sub(lambda m: m.group(1) + _WORD_JOINER, escaped)


def markdown_text(text: str, limit: int = 500) -> str:
    """Untrusted text rendered inert in GitHub-flavoured Markdown, on one line.

    `code` spans in the text stay code spans (messages name identifiers that way); everything
    else is escaped so it renders literally.
    """
    line = one_line(text, limit)
    out, last = [], 0
    for match in _CODE_SPAN.finditer(line):
        out += [_prose(line[last : match.start()]), code_span(match.group(2), limit)]
        last = match.end()
    out.append(_prose(line[last:]))
    text = "".join(out)
    # Nothing the text starts with may turn the line into a heading, rule, list or quote.
    return _BLOCK_START.sub(lambda m: m.group(1) + "\\" if m.group(1)[0].isdigit() else "\\" + m.group(1), text)


def code_span(text: str, limit: int = 300) -> str:
    """Untrusted text (a path, a code) as an inline code span that nothing can break out of.

    Code spans show HTML literally, but `<` and `>` still become look-alikes so that no raw
    `<!-- ... -->` ever appears in a body where the bot looks for its own markers.
    """
    line = one_line(text, limit).translate(_ANGLE_LOOKALIKES)
    longest = max((len(run) for run in re.findall(r"`+", line)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {line} {fence}"


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret replaced; short strings are not treated as secrets."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, _REDACTED)
    return text
