"""A plan: every file the generator will create or edit, computed before anything touches disk.

`--dry-run` prints `Plan.diff()`, a unified diff in git's format, so `git apply` of it produces
exactly the tree a real run would.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FileChange:
    path: str  # repo-relative, posix
    old: str | None  # None: the file is created
    new: str

    @property
    def created(self) -> bool:
        return self.old is None

    def diff(self) -> str:
        a = self.old.splitlines(keepends=True) if self.old is not None else []
        b = self.new.splitlines(keepends=True)
        head = f"diff --git a/{self.path} b/{self.path}\n"
        if self.created:
            head += "new file mode 100644\n"
        body = list(
            difflib.unified_diff(
                a, b, fromfile="/dev/null" if self.created else f"a/{self.path}", tofile=f"b/{self.path}", n=3
            )
        )
        # difflib omits git's marker for a last line without newline; git apply needs it.
        fixed = []
        for line in body:
            if not line.endswith("\n"):
                line += "\n\\ No newline at end of file\n"
            fixed.append(line)
        return head + "".join(fixed)


@dataclass
class Plan:
    changes: dict[str, FileChange] = field(default_factory=dict)

    @classmethod
    def of(cls, created: dict[str, str], edits: dict[str, str], read: Callable[[str], str | None]) -> Plan:
        """A plan from new files and new texts of (possibly) existing ones: `edits` of files `read`
        cannot find are created too. Paths are repo-relative posix strings."""
        plan = cls()
        for rel, text in created.items():
            plan.create(rel, text)
        for rel, new in edits.items():
            old = read(rel)
            if old is None:
                plan.create(rel, new)
            else:
                plan.edit(rel, old, new)
        return plan

    def create(self, path: str, text: str) -> None:
        self.changes[path] = FileChange(path, None, text)

    def edit(self, path: str, old: str, new: str) -> None:
        if old != new:
            self.changes[path] = FileChange(path, old, new)

    def __iter__(self) -> Iterator[FileChange]:
        return iter(sorted(self.changes.values(), key=lambda c: c.path))

    def __len__(self) -> int:
        return len(self.changes)

    @property
    def created(self) -> list[str]:
        return [c.path for c in self if c.created]

    @property
    def edited(self) -> list[str]:
        return [c.path for c in self if not c.created]

    def diff(self) -> str:
        return "".join(change.diff() for change in self)
