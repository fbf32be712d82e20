"""Error types shared by every command.

`UserError` is what the CLI turns into a single line on stderr and exit code 2: the message must
name the problem and the fix. Anything else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations


class ScaffoldError(Exception):
    """Base class of every error this package raises on purpose."""


class UserError(ScaffoldError):
    """Bad input or an unusable environment: one line, exit code 2, nothing written."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        # One line, always: the CLI promises it and tests check it.
        super().__init__(" ".join(str(message).split()))


class StageError(ScaffoldError):
    """A pipeline stage failed after validation; the transaction has been rolled back."""

    def __init__(self, stage: str, message: str) -> None:
        super().__init__(f"{stage}: {message}")
        self.stage = stage
