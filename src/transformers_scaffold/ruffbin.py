"""Where ruff is: the one locator the formatter, the checker and the modular converter share.

The ruff that ships with this package's environment (the `ruff` wheel's binary, found by
`ruff.__main__.find_ruff_bin`), else a `ruff` beside the interpreter, else one on PATH.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def ruff_binary() -> str | None:
    """The path of the ruff executable, or None when none is installed."""
    try:
        from ruff.__main__ import find_ruff_bin

        return str(find_ruff_bin())
    except (ImportError, FileNotFoundError):
        pass
    local = Path(sys.executable).parent / "ruff"
    if local.is_file():
        return str(local)
    return shutil.which("ruff")


def ruff_command() -> list[str]:
    """argv prefix that runs ruff (`python -m ruff` as the last resort)."""
    found = ruff_binary()
    return [found] if found else [sys.executable, "-m", "ruff"]
