"""Which lines of a PR can carry an inline comment: the RIGHT side of each file's diff hunks.

GitHub accepts a review comment on a RIGHT-side line only if that line is inside a hunk of the
file's `patch` (added or context lines); anything else is a 422. A multi-line comment
(`start_line`..`line`) must stay inside one hunk. Files without a patch (binary, removed, too large
for GitHub to render) have no commentable lines at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from transformers_scaffold.checker.gitutil import HUNK_HEADER


@dataclass(frozen=True)
class FileDiff:
    """One file of a PR as the review sees it; `hunks` are inclusive RIGHT-side line spans."""

    path: str
    status: str = "modified"
    previous_path: str | None = None
    hunks: tuple[tuple[int, int], ...] = ()
    added: frozenset[int] = frozenset()  # RIGHT-side lines the PR adds ("+" lines)
    added_text: tuple[str, ...] = ()  # their text: what the PR adds (suppressions, settings)
    changed_text: tuple[str, ...] = ()  # text of added and removed lines
    has_patch: bool = True  # False: binary or too large for GitHub to show (nothing is known)

    def added_range(self, start: int, end: int) -> bool:
        return any(line in self.added for line in range(start, end + 1))

    def hunk_containing(self, line: int) -> tuple[int, int] | None:
        for first, last in self.hunks:
            if first <= line <= last:
                return (first, last)
        return None

    def anchor(self, start: int, end: int) -> tuple[int | None, int] | None:
        """(start_line or None, line) for a comment on `start..end`, or None if off the diff.

        A range that runs past its hunk is shortened to the part inside the hunk that holds
        `start`, so the comment still lands next to the code it is about.
        """
        hunk = self.hunk_containing(start)
        if hunk is None:
            hunk = self.hunk_containing(end)
            if hunk is None:
                return None
            start = hunk[0]
        end = min(end, hunk[1])
        return (start if start < end else None, end)


def right_side_hunks(patch: str | None) -> tuple[tuple[int, int], ...]:
    """RIGHT-side spans of a unified-diff `patch` as GitHub returns it per file."""
    if not patch:
        return ()
    spans: list[tuple[int, int]] = []
    current: int | None = None  # next RIGHT-side line number inside the open hunk
    first = 0
    for raw in patch.splitlines():
        header = HUNK_HEADER.match(raw)
        if header:
            if current is not None and current > first:
                spans.append((first, current - 1))
            first = current = int(header.group(1))
            continue
        if current is None or raw.startswith("\\"):  # "\ No newline at end of file"
            continue
        if raw.startswith(("+", " ")) or raw == "":
            current += 1
        # "-" lines exist only on the LEFT side.
    if current is not None and current > first:
        spans.append((first, current - 1))
    return tuple(spans)


def added_lines(patch: str | None) -> tuple[dict[int, str], list[str]]:
    """RIGHT-side numbers and text of the "+" lines, and the text of every "+"/"-" line."""
    added: dict[int, str] = {}
    changed: list[str] = []
    current: int | None = None
    for raw in (patch or "").splitlines():
        header = HUNK_HEADER.match(raw)
        if header:
            current = int(header.group(1))
        elif current is None or raw.startswith("\\"):
            continue
        elif raw.startswith("+"):
            added[current] = raw[1:]
            changed.append(raw[1:])
            current += 1
        elif raw.startswith("-"):
            changed.append(raw[1:])
        else:
            current += 1
    return added, changed


def file_diff(path: str, status: str, patch: str | None, previous_path: str | None = None) -> FileDiff:
    removed = status == "removed"
    hunks = () if removed else right_side_hunks(patch)
    added, changed = added_lines(patch)
    return FileDiff(
        path=path,
        status=status,
        previous_path=previous_path,
        hunks=hunks,
        added=frozenset() if removed else frozenset(added),
        added_text=tuple(added.values()),
        changed_text=tuple(changed),
        has_patch=patch is not None,
    )
