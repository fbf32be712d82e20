"""`scaffold new-model --recover`: undo what an interrupted run (SIGKILL, power loss) left in a fork."""

from __future__ import annotations

from pathlib import Path

from transformers_scaffold.fork import Fork
from transformers_scaffold.transaction import recover_pending


def recover_fork(repo: Path | None) -> str:
    """Restore the fork from the journal of an unfinished run; the one line to print."""
    fork = Fork.locate(repo)
    found = recover_pending(fork.root)
    if found is None:
        return f"nothing to recover in {fork.root}: no interrupted scaffold run"
    if found.committed:
        return f"the last scaffold run in {fork.root} had finished; removed its leftover journal"
    return (
        f"restored {fork.root} as it was before the interrupted scaffold run (pid {found.pid}): "
        f"{len(found.created)} created files removed, {len(found.edits)} edited files restored"
    )
