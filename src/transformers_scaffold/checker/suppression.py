"""`# scaffold: ignore[SCF101, SCF2]` on a line silences those codes (prefixes) on that line.

`# scaffold: ignore` without brackets silences every code on the line, and
`# scaffold: ignore-file[SCF312]` anywhere in the first 20 lines silences a code for the file.
In Markdown and YAML the same text works inside `<!-- -->` or a `#` comment.
"""

from __future__ import annotations

import re

_LINE = re.compile(r"scaffold:\s*ignore(?!-)(?:\[([A-Z0-9,\s]*)\])?")
_FILE = re.compile(r"scaffold:\s*ignore-file\[([A-Z0-9,\s]*)\]")
ALL = ("",)  # the empty prefix matches every code
FILE_HEADER_LINES = 20


def _codes(group: str | None) -> tuple[str, ...]:
    if group is None:
        return ALL
    return tuple(c.strip() for c in group.split(",") if c.strip()) or ALL


class Suppressions:
    """Per-line and per-file suppressions of one file's text."""

    def __init__(self, text: str) -> None:
        self.lines: dict[int, tuple[str, ...]] = {}
        self.file: tuple[str, ...] = ()
        if "scaffold:" not in text:
            return
        for number, line in enumerate(text.splitlines(), start=1):
            if "scaffold:" not in line:
                continue
            match = _LINE.search(line)
            if match:
                self.lines[number] = _codes(match.group(1))
            match = _FILE.search(line)
            if match and number <= FILE_HEADER_LINES:
                self.file += _codes(match.group(1))

    def suppressed(self, code: str, line: int, end_line: int | None = None) -> bool:
        if any(code.startswith(p) for p in self.file):
            return True
        return any(any(code.startswith(p) for p in self.lines.get(number, ())) for number in {line, end_line or line})
