"""The write-ahead journal of a transaction, so a run killed outright (SIGKILL, power loss) can be undone.

A transaction logs each step *before* taking it, in `<git dir>/scaffold-journal/journal.jsonl`
(one JSON object a line, flushed and fsynced), and keeps each edited file's original bytes as
`backups/<n>` (fsynced before the edit). The steps:

- `{"op": "begin", "pid": ..., "boot": ..., "started": ...}`
- `{"op": "mkdir", "path": rel}` before a directory is created
- `{"op": "create", "path": rel}` before a file is created (its temporary sibling too)
- `{"op": "edit", "path": rel, "backup": "n"}` after the backup is on disk, before the edit
- `{"op": "commit"}` once everything is written; the journal is then removed

`recover(root)` undoes an unfinished journal: edited files get their backups back, created files
and directories go (leftovers inside created directories too), and the journal is removed last, so
a recovery that is itself killed can simply run again. A torn last line (power lost mid-write)
names a step that was never taken and is skipped.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

JOURNAL_DIR = "scaffold-journal"
TMP_SUFFIX = ".scaffold-tmp"


def tmp_sibling(path: Path) -> Path:
    """The one temporary name a journaled write of `path` uses (so recovery knows it)."""
    return path.with_name(f".{path.name}{TMP_SUFFIX}")


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def journal_dir(root: Path) -> Path:
    """`<git dir>/scaffold-journal` (a worktree's `.git` file is followed); `.scaffold-journal` without git."""
    dot_git = root / ".git"
    if dot_git.is_dir():
        return dot_git / JOURNAL_DIR
    if dot_git.is_file():
        text = dot_git.read_text(encoding="utf-8", errors="replace").strip()
        if text.startswith("gitdir:"):
            git_dir = Path(text.split(":", 1)[1].strip())
            return (git_dir if git_dir.is_absolute() else root / git_dir) / JOURNAL_DIR
    return root / f".{JOURNAL_DIR}"


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class Journal:
    """The open journal of one running transaction."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.dir = journal_dir(root)
        self._fd: int | None = None
        self._backups = 0

    def begin(self) -> None:
        try:
            (self.dir / "backups").mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.dir / "journal.jsonl", os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644)
            _fsync_dir(self.dir)
            self.log({"op": "begin", "pid": os.getpid(), "boot": _boot_id(), "started": time.time()})
        except OSError:
            self.remove()  # nothing was written yet
            raise

    def log(self, entry: dict[str, object]) -> None:
        assert self._fd is not None, "journal not begun"
        write_all(self._fd, (json.dumps(entry) + "\n").encode("utf-8"))
        os.fsync(self._fd)

    def backup(self, rel: str, data: bytes) -> None:
        """Keep `data` (the original of `rel`) on disk, then log the edit."""
        name = str(self._backups)
        self._backups += 1
        fd = os.open(self.dir / "backups" / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        self.log({"op": "edit", "path": rel, "backup": name})

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def remove(self) -> None:
        self.close()
        shutil.rmtree(self.dir, ignore_errors=True)


@dataclass
class Pending:
    """An unfinished journal found on disk."""

    dir: Path
    pid: int = 0
    boot: str = ""
    started: float = 0.0
    committed: bool = False
    created: list[str] = field(default_factory=list)
    dirs: list[str] = field(default_factory=list)
    edits: list[tuple[str, str]] = field(default_factory=list)  # (path, backup name)

    @property
    def alive(self) -> bool:
        """The run that wrote it is still running (same boot, pid alive, not us)."""
        if not self.pid or self.pid == os.getpid() or (self.boot and self.boot != _boot_id()):
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    @property
    def changes(self) -> int:
        return len(self.created) + len(self.edits)


def pending(root: Path) -> Pending | None:
    """The journal an earlier run left under `root`, or None."""
    directory = journal_dir(root)
    path = directory / "journal.jsonl"
    if not directory.is_dir():
        return None
    found = Pending(directory)
    lines = path.read_bytes().splitlines() if path.is_file() else []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a torn last line: that step never happened
        op = entry.get("op")
        if op == "begin":
            found.pid, found.boot, found.started = int(entry["pid"]), str(entry["boot"]), float(entry["started"])
        elif op == "mkdir":
            found.dirs.append(entry["path"])
        elif op == "create":
            found.created.append(entry["path"])
        elif op == "edit":
            found.edits.append((entry["path"], entry["backup"]))
        elif op == "commit":
            found.committed = True
    return found


def restore_file(path: Path, data: bytes) -> None:
    """Put `data` back at `path`; in place (truncate, then write) when there is no room for a sibling."""
    tmp = tmp_sibling(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        # A full disk: truncating the current file frees its blocks before the original goes back.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_tree_leftovers(directory: Path) -> None:
    """Remove `directory` and anything left inside it (e.g. `__pycache__` of a converter run)."""
    if not directory.exists():
        return
    for leftover in sorted(directory.rglob("*"), reverse=True):
        if leftover.is_dir() and not leftover.is_symlink():
            leftover.rmdir()
        else:
            leftover.unlink()
    directory.rmdir()


def recover(root: Path, found: Pending) -> None:
    """Undo `found` under `root`: created files first (frees space), then edits, then directories."""
    if not found.committed:
        for rel in reversed(found.created):
            for path in (root / rel, tmp_sibling(root / rel)):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
        for rel, backup in reversed(found.edits):
            path = root / rel
            with contextlib.suppress(FileNotFoundError):
                tmp_sibling(path).unlink()
            restore_file(path, (found.dir / "backups" / backup).read_bytes())
        for rel in reversed(found.dirs):
            remove_tree_leftovers(root / rel)
    shutil.rmtree(found.dir, ignore_errors=True)
