"""All-or-nothing writes to a user's tree.

Every file is written to a temporary sibling and renamed into place; the original bytes of each
edited file are kept in memory. Any exception, `KeyboardInterrupt` and SIGTERM included, restores
every edited file byte-for-byte and removes every created file and directory, in reverse order.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from transformers_scaffold.atomic import write_atomic


class Transaction:
    """Writes under `root`, undone by `rollback()`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._originals: dict[Path, bytes] = {}
        self._created_files: list[Path] = []
        self._created_dirs: list[Path] = []

    def _ensure_parent(self, path: Path) -> None:
        missing = []
        parent = path.parent
        while not parent.exists():
            missing.append(parent)
            parent = parent.parent
        for directory in reversed(missing):
            directory.mkdir()
            self._created_dirs.append(directory)

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        if path.exists():
            self._originals.setdefault(path, path.read_bytes())
        else:
            self._ensure_parent(path)
            if path not in self._created_files:
                self._created_files.append(path)
        write_atomic(path, text.encode("utf-8"))

    def adopt_new_files(self, paths: list[Path]) -> None:
        """Record files some other process created (the modular converter), so rollback removes them."""
        for path in paths:
            if path not in self._created_files and path not in self._originals:
                self._created_files.append(path)

    def rollback(self) -> None:
        for path, data in self._originals.items():
            write_atomic(path, data)
        for path in reversed(self._created_files):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        for directory in reversed(self._created_dirs):
            if directory.exists():
                for leftover in sorted(directory.rglob("*"), reverse=True):  # e.g. __pycache__ from a converter
                    leftover.unlink() if leftover.is_file() or leftover.is_symlink() else leftover.rmdir()
                directory.rmdir()


@contextlib.contextmanager
def transaction(root: Path) -> Iterator[Transaction]:
    """Yield a Transaction; roll it back on any exception or SIGTERM, keep it otherwise."""
    txn = Transaction(root)

    def on_term(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = None
    with contextlib.suppress(ValueError):  # not the main thread: no signal handlers there
        previous = signal.signal(signal.SIGTERM, on_term)
    try:
        yield txn
    except BaseException:
        # Shield the undo from a second Ctrl-C: a half-undone tree is the one outcome we refuse.
        old_int = None
        with contextlib.suppress(ValueError):
            old_int = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            txn.rollback()
        finally:
            if old_int is not None:
                signal.signal(signal.SIGINT, old_int)
        raise
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
