"""Atomic file writes: the data goes to a temporary sibling, then `os.replace` puts it in place.

A reader (or a crash) sees the old file or the new one, never half of either. Used by the
generator's transaction, `scaffold init-ci` and the checker's cache.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

TEMP_SUFFIX = ".scaffold-tmp"


def stage(path: Path, data: bytes) -> Path:
    """Write `data` to a temporary sibling of `path` (same mode as `path`, else 0o644) and return it."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o644)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step (the temporary file is removed on any failure)."""
    tmp = stage(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
