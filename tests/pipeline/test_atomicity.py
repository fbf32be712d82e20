"""All-or-nothing: a fault at any stage, Ctrl-C included, leaves the fork byte-identical."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.pipeline.helpers import git_status, run_cli, tree_state
from transformers_scaffold.pipeline import new_model as pipeline
from transformers_scaffold.transaction import Transaction

ARGS = ("new-model", "acme", "--yes", "--template", "decoder", "--date", "2026-11-27")


class Boom(RuntimeError):
    pass


@pytest.mark.parametrize("exc", [Boom, KeyboardInterrupt], ids=["error", "ctrl-c"])
@pytest.mark.parametrize("stage", pipeline.STAGES)
def test_fault_at_every_stage_leaves_the_fork_identical(
    stage: str,
    exc: type[BaseException],
    fork: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = tree_state(fork)

    def fail_at(name: str) -> None:
        if name == stage:
            raise exc(f"injected at {stage}")

    monkeypatch.setattr(pipeline, "checkpoint", fail_at)
    if exc is Boom:
        with pytest.raises(Boom):
            run_cli(capsys, *ARGS, "--repo", str(fork))
    else:
        code, _, err = run_cli(capsys, *ARGS, "--repo", str(fork))
        assert code == 130 and "nothing was changed" in err
    assert tree_state(fork) == before
    assert git_status(fork) == ""


@pytest.mark.slow
def test_fault_while_writing_each_file_rolls_back(
    fork: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Fail on the k-th file write for every k: created files and directories vanish, edits revert."""
    before = tree_state(fork)
    _, names, _, plan, _ = pipeline.plan_new_model(
        pipeline.NewModelRequest(name="acme", repo=fork, template="decoder", date="2026-11-27")
    )
    assert len(plan) >= 8 and plan.edited, "the plan should both create and edit files"
    real_write = Transaction.write
    for k in range(len(plan)):
        calls = {"n": 0}

        def flaky(self: Transaction, rel: str, text: str, _k: int = k, _calls: dict = calls) -> None:
            if _calls["n"] == _k:
                raise OSError(f"disk full at write {_k}")
            _calls["n"] += 1
            real_write(self, rel, text)

        monkeypatch.setattr(Transaction, "write", flaky)
        with pytest.raises(OSError):
            run_cli(capsys, *ARGS, "--repo", str(fork))
        assert tree_state(fork) == before, f"not rolled back after a fault at write {k}"
    monkeypatch.setattr(Transaction, "write", real_write)
    code, _, err = run_cli(capsys, *ARGS, "--repo", str(fork))
    assert code == 0, err


def test_sigint_in_a_real_process_leaves_the_fork_identical(fork: Path, tmp_path: Path) -> None:
    """A real Ctrl-C: the child pauses inside the transaction (after the first write) and gets SIGINT."""
    import signal
    import sys
    import time

    before = tree_state(fork)
    marker = tmp_path / "paused"
    # A child started from a non-interactive shell inherits SIGINT as ignored: restore Python's
    # handler first, or the signal below would never arrive as KeyboardInterrupt.
    driver = f"""
import pathlib, signal, time
signal.signal(signal.SIGINT, signal.default_int_handler)
from transformers_scaffold.transaction import Transaction
from transformers_scaffold.cli import main
real = Transaction.write
def slow(self, rel, text):
    real(self, rel, text)
    pathlib.Path({str(marker)!r}).touch()
    time.sleep(30)
Transaction.write = slow
raise SystemExit(main({list(ARGS)!r} + ["--repo", {str(fork)!r}]))
"""
    proc = subprocess.Popen([sys.executable, "-c", driver], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), proc.stderr.read() if proc.poll() is not None else "never reached the write stage"
    assert tree_state(fork) != before  # something was written before the interrupt
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert tree_state(fork) == before
