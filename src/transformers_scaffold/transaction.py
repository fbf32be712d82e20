"""All-or-nothing writes to a user's tree, that survive being killed.

Every file is written to a temporary sibling and renamed into place. Each step is logged first in
a write-ahead journal under the fork's `.git/` (`journal.py`), with each edited file's original
kept on disk until the end, so:

- any exception, Ctrl-C (SIGINT), SIGTERM or SIGHUP rolls everything back in-process; the undo is
  shielded from further signals of those kinds, so a second Ctrl-C or SIGTERM cannot half-undo it;
- a run killed outright (SIGKILL, power loss) leaves a journal that the next run finds
  (`check_pending`) and undoes, byte-identically (`recover_pending`);
- a full disk rolls back too: created files are deleted first (freeing space), then edited files
  get their originals back (in place when there is no room for a temporary copy).

Callers should write created files first and edits of shared registries last, so an interrupted run
never leaves a registry naming a package that does not exist yet (`pipeline/new_model.py` does).
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from transformers_scaffold.errors import UserError
from transformers_scaffold.journal import (
    Journal,
    Pending,
    pending,
    recover,
    remove_tree_leftovers,
    restore_file,
    tmp_sibling,
    write_all,
)

# Errors of the environment, not of our code: after the rollback they become one line, exit 2.
_ENV_ERRNOS = {errno.ENOSPC: "no space left on device", errno.EDQUOT: "disk quota exceeded",
               errno.EROFS: "read-only file system", errno.EACCES: "permission denied",
               errno.EPERM: "operation not permitted"}  # fmt: skip
_SHIELDED = tuple(s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None)


def _atomic_write(path: Path, data: bytes, tmp: Path | None = None) -> None:
    if tmp is None:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".scaffold-tmp", dir=path.parent)
        tmp = Path(name)
    else:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        try:
            write_all(fd, data)
        finally:
            os.close(fd)
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


class Transaction:
    """Writes under `root`, undone by `rollback()`; journaled when `journaled` (the default)."""

    def __init__(self, root: Path, journaled: bool = True) -> None:
        self.root = root
        self._originals: dict[Path, bytes] = {}
        self._created_files: list[Path] = []
        self._created_dirs: list[Path] = []
        self.journal = Journal(root) if journaled else None
        if self.journal is not None:
            self.journal.begin()

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _ensure_parent(self, path: Path) -> None:
        missing = []
        parent = path.parent
        while not parent.exists():
            missing.append(parent)
            parent = parent.parent
        for directory in reversed(missing):
            if self.journal is not None:
                self.journal.log({"op": "mkdir", "path": self._rel(directory)})
            directory.mkdir()
            self._created_dirs.append(directory)

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        if path.exists():
            if path not in self._originals and path not in self._created_files:
                original = path.read_bytes()
                if self.journal is not None:
                    self.journal.backup(rel, original)
                self._originals[path] = original
        else:
            self._ensure_parent(path)
            if path not in self._created_files:
                if self.journal is not None:
                    self.journal.log({"op": "create", "path": rel})
                self._created_files.append(path)
        _atomic_write(path, text.encode("utf-8"), tmp_sibling(path) if self.journal is not None else None)

    def adopt_new_files(self, paths: list[Path]) -> None:
        """Record files some other process created (the modular converter), so rollback removes them."""
        for path in paths:
            if path not in self._created_files and path not in self._originals:
                if self.journal is not None:
                    self.journal.log({"op": "create", "path": self._rel(path)})
                self._created_files.append(path)

    def rollback(self) -> None:
        # Created files first: on a full disk, deleting them frees the room the restores need.
        for path in reversed(self._created_files):
            for victim in (path, tmp_sibling(path)):
                with contextlib.suppress(FileNotFoundError):
                    victim.unlink()
        for path, data in self._originals.items():
            with contextlib.suppress(FileNotFoundError):
                tmp_sibling(path).unlink()
            restore_file(path, data)
        for directory in reversed(self._created_dirs):
            remove_tree_leftovers(directory)
        if self.journal is not None:
            self.journal.remove()  # only once every original is back

    def commit(self) -> None:
        if self.journal is not None:
            self.journal.log({"op": "commit"})
            self.journal.remove()


def _env_error(exc: BaseException) -> UserError | None:
    if isinstance(exc, OSError) and exc.errno in _ENV_ERRNOS:
        where = f" writing {exc.filename}" if exc.filename else ""
        return UserError(
            f"{_ENV_ERRNOS[exc.errno]}{where}; nothing was changed (the fork was restored); "
            "free space or fix permissions and run again"
        )
    return None


@contextlib.contextmanager
def _shielded() -> Iterator[None]:
    """Ignore SIGINT, SIGTERM and SIGHUP for the duration (main thread only)."""
    previous = {}
    for sig in _SHIELDED:
        with contextlib.suppress(ValueError):
            previous[sig] = signal.signal(sig, signal.SIG_IGN)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def transaction(root: Path, journaled: bool = True) -> Iterator[Transaction]:
    """Yield a Transaction; roll it back on any exception or SIGTERM/SIGHUP, commit it otherwise.

    An `OSError` of the environment (full disk, read-only, permissions) is re-raised, after the
    rollback, as a one-line `UserError`.
    """

    def on_term(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = {}
    for sig in _SHIELDED[1:]:
        with contextlib.suppress(ValueError):  # not the main thread: no signal handlers there
            previous[sig] = signal.signal(sig, on_term)
    try:
        try:
            txn = Transaction(root, journaled)
        except OSError as exc:
            env = _env_error(exc)
            if env is not None:
                raise env from exc
            raise
        try:
            yield txn
            with _shielded():
                txn.commit()
        except BaseException as exc:
            # Shield the undo from a second Ctrl-C or SIGTERM: a half-undone tree is the one outcome we refuse.
            with _shielded():
                try:
                    txn.rollback()
                except Exception as undo:
                    raise UserError(
                        f"{type(exc).__name__}: {exc}; restoring the fork then failed too ({undo}); its journal is "
                        "kept: run `scaffold new-model --recover` once the cause is fixed"
                    ) from undo
            env = _env_error(exc)
            if env is not None:
                raise env from exc
            raise
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def check_pending(root: Path) -> Pending | None:
    """The unfinished journal of an earlier run; `UserError` if that run is still going."""
    found = pending(root)
    if found is not None and found.alive:
        raise UserError(
            f"another scaffold run (pid {found.pid}) is writing {root}; wait for it to finish, or stop it and "
            "run `scaffold new-model --recover`"
        )
    return found


def recover_pending(root: Path) -> Pending | None:
    """Undo what an interrupted run left (shielded from signals); the journal it undid, or None."""
    found = check_pending(root)
    if found is None:
        return None
    with _shielded():
        recover(root, found)
    return found
