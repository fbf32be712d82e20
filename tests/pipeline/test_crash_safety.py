"""Crash safety of the write stage: SIGKILL at many points, double SIGTERM, a full disk, a read-only fork.

Every test runs the real CLI in a real child process (or, for the full disk, against a real tmpfs
where the machine lets us mount one) and compares the fork's bytes before and after.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.pipeline.helpers import git_status, run_cli, tree_state
from transformers_scaffold.journal import journal_dir

ARGS = ["new-model", "acme", "--yes", "--template", "decoder", "--date", "2026-11-27"]

# A child that runs the CLI and SIGKILLs itself at the K-th low-level write step (journal lines,
# backups, file data, renames, mkdirs), half-way through that step's bytes where it writes any.
# With K = -1 it only counts the steps and prints the total.
_KILLER = """
import os, signal, sys
import transformers_scaffold.journal as journal
import transformers_scaffold.transaction as transaction
from transformers_scaffold.cli import main

kill_at = int(sys.argv[1])
count = [0]
real_write_all, real_replace, real_mkdir = journal.write_all, os.replace, os.mkdir

def step(half=None):
    count[0] += 1
    if count[0] == kill_at:
        if half is not None:
            half()
        os.kill(os.getpid(), signal.SIGKILL)

def write_all(fd, data):
    step(lambda: real_write_all(fd, data[: len(data) // 2]))
    real_write_all(fd, data)

def replace(a, b, *args, **kw):
    step()
    real_replace(a, b, *args, **kw)

def mkdir(path, *args, **kw):
    step()
    real_mkdir(path, *args, **kw)

journal.write_all = transaction.write_all = write_all
os.replace, os.mkdir = replace, mkdir
code = main(sys.argv[2:])
if kill_at < 0:
    print("STEPS", count[0])
raise SystemExit(code)
"""


def _child(fork: Path, kill_at: int, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _KILLER, str(kill_at), *ARGS, "--repo", str(fork), *extra],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_sigkill_at_twenty_points_then_the_next_run_restores_the_fork(
    fork: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree_state(fork)
    counted = _child(fork, -1)
    assert counted.returncode == 0, counted.stderr
    steps = int(counted.stdout.split("STEPS")[-1])
    assert steps >= 20, steps
    subprocess.run(["git", "reset", "-q", "--hard"], cwd=fork, check=True)
    subprocess.run(["git", "clean", "-qfdx"], cwd=fork, check=True)
    assert tree_state(fork) == before
    points = sorted({round(1 + i * (steps - 1) / 19) for i in range(20)})
    assert len(points) == 20
    for n, point in enumerate(points):
        killed = _child(fork, point)
        assert killed.returncode == -signal.SIGKILL, (point, killed.stderr)
        # Killed before the journal's first line: nothing was written either.
        assert journal_dir(fork).is_dir() or tree_state(fork) == before, f"no journal after a kill at step {point}"
        if (
            n % 5 == 1 and journal_dir(fork).is_dir()
        ):  # the next ordinary run notices, says so in one line, restores, and goes on
            rerun = _child(fork, 0, "--dry-run")
            assert rerun.returncode == 2 and "--recover" in rerun.stderr, rerun.stderr
            assert len(rerun.stderr.strip().splitlines()) == 1
        code, out, err = run_cli(capsys, "new-model", "--recover", "--repo", str(fork))
        assert code == 0, err
        assert tree_state(fork) == before, f"not restored after a SIGKILL at step {point} of {steps}"
        assert git_status(fork) == "", point
        assert not journal_dir(fork).exists()
    # After a kill, a plain re-run restores first (one line says so), then succeeds.
    assert _child(fork, steps // 2).returncode == -signal.SIGKILL
    code, out, err = run_cli(capsys, *ARGS, "--repo", str(fork))
    assert code == 0, err
    notes = [line for line in err.splitlines() if "interrupted" in line]
    assert len(notes) == 1 and "restored" in notes[0], err
    assert (fork / "src/transformers/models/acme/modeling_acme.py").is_file()


_PAUSE_IN_ROLLBACK = """
import pathlib, sys, time
import transformers_scaffold.transaction as transaction
from transformers_scaffold.cli import main
marker = pathlib.Path(sys.argv[1])
real_write, real_restore = transaction.Transaction.write, transaction.restore_file
def write(self, rel, text):
    real_write(self, rel, text)
    if len(self._originals) == 2:  # two registries edited: pause for the first SIGTERM
        (marker.parent / "writing").touch()
        time.sleep(60)
def restore(path, data):
    if not (marker.parent / "rolling").exists():
        (marker.parent / "rolling").touch()
        time.sleep(3)  # the second SIGTERM arrives here, half-way through the undo
    real_restore(path, data)
transaction.Transaction.write = write
transaction.restore_file = restore
raise SystemExit(main(sys.argv[2:]))
"""


def _wait_for(path: Path, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not path.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert path.exists(), proc.communicate()[1] if proc.poll() is not None else f"never reached {path.name}"


@pytest.mark.slow
def test_a_second_sigterm_during_rollback_does_not_abort_it(fork: Path, tmp_path: Path) -> None:
    before = tree_state(fork)
    proc = subprocess.Popen(
        [sys.executable, "-c", _PAUSE_IN_ROLLBACK, str(tmp_path / "m"), *ARGS, "--repo", str(fork)],
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_for(tmp_path / "writing", proc)
    assert tree_state(fork) != before
    proc.send_signal(signal.SIGTERM)
    _wait_for(tmp_path / "rolling", proc)
    proc.send_signal(signal.SIGTERM)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert [line for line in err.splitlines() if line.strip()] == ["error: interrupted; nothing was changed"]
    assert tree_state(fork) == before
    assert not journal_dir(fork).exists()


def _mount_tmpfs(target: Path, size_kib: int) -> bool:
    target.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(target)], capture_output=True
    )
    return proc.returncode == 0


def _du_kib(path: Path) -> int:
    return int(subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True, check=True).stdout.split()[0])


@pytest.mark.slow
@pytest.mark.parametrize("free_kib", [24, 96])
def test_a_full_disk_rolls_back_and_says_so_in_one_line(
    sdist_fork: Path, tmp_path: Path, free_kib: int, capsys: pytest.CaptureFixture[str]
) -> None:
    """A real tmpfs with `free_kib` KiB left: the run fails part-way and the fork comes back byte-identical."""
    mount = tmp_path / "small"
    size = _du_kib(sdist_fork) + 4096
    if os.geteuid() != 0 or not _mount_tmpfs(mount, size):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        fork = mount / "fork"
        subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(sdist_fork), str(fork)], check=True)
        before = tree_state(fork)
        free = shutil.disk_usage(mount).free // 1024
        filler = mount / "filler"
        with open(filler, "wb") as handle:
            handle.write(b"\0" * max(0, (free - free_kib) * 1024))
        assert shutil.disk_usage(mount).free // 1024 <= free_kib + 8
        code, out, err = run_cli(capsys, *ARGS, "--repo", str(fork))
        assert code == 2, (code, err)
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and "no space left on device" in lines[0] and "nothing was changed" in lines[0], err
        filler.unlink()
        assert tree_state(fork) == before
        assert git_status(fork) == ""
        assert not journal_dir(fork).exists()
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_an_injected_enospc_at_every_data_write_rolls_back(
    fork: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Where no tmpfs can be mounted: ENOSPC from the OS call itself, at each data write in turn."""
    import errno

    import transformers_scaffold.transaction as transaction

    before = tree_state(fork)
    real = transaction.write_all
    for k in range(0, 12, 3):
        calls = {"n": 0}

        def full(fd: int, data: bytes, _k: int = k, _calls: dict = calls) -> None:
            _calls["n"] += 1
            if _calls["n"] > _k:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            real(fd, data)

        monkeypatch.setattr(transaction, "write_all", full)
        code, _, err = run_cli(capsys, *ARGS, "--repo", str(fork))
        assert code == 2 and len(err.strip().splitlines()) == 1 and "no space left" in err, err
        assert tree_state(fork) == before, k
        assert not journal_dir(fork).exists()


def test_a_read_only_fork_is_refused_in_one_line(
    fork: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree_state(fork)
    view = tmp_path / "ro"
    view.mkdir()
    bound = (
        os.geteuid() == 0
        and subprocess.run(["mount", "--bind", str(fork), str(view)], capture_output=True).returncode == 0
    )
    try:
        if bound:
            remount = subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], capture_output=True)
            if remount.returncode != 0:
                pytest.skip("cannot remount read-only here")
            target = view
        else:
            subprocess.run(["chmod", "-R", "a-w", str(fork)], check=True)
            target = fork
        code, out, err = run_cli(capsys, *ARGS, "--repo", str(target))
        assert code == 2, err
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and "not writable" in lines[0], err
    finally:
        if bound:
            subprocess.run(["umount", str(view)], capture_output=True)
        subprocess.run(["chmod", "-R", "u+w", str(fork)], check=True)
    assert tree_state(fork) == before


def test_an_unparsable_mapping_file_is_refused_in_one_line(fork: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rel = "src/transformers/models/auto/auto_mappings.py"
    path = fork / rel
    path.write_text(path.read_text() + "\nCONFIG_MAPPING_NAMES.update((\n")
    subprocess.run(["git", "commit", "-qam", "broken"], cwd=fork, check=True)
    before = tree_state(fork)
    for args in (ARGS, ["new-model", "acme", "--yes", "--like", "llama"]):
        code, out, err = run_cli(capsys, *args, "--repo", str(fork))
        assert code == 2, err
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and rel in lines[0] and "does not parse" in lines[0], err
    assert tree_state(fork) == before


@pytest.mark.parametrize(
    "option", ["--like", "--template", "--tokenizer", "--repo", "--date", "--paper-name", "--checkpoint"]
)
@pytest.mark.parametrize("value", ["", "  "])
def test_empty_option_values_are_refused(
    option: str, value: str, fork: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(fork)
    args = ["new-model", "acme", "--yes", option, value]
    if option != "--repo":
        args += ["--repo", str(fork)]
    code, out, err = run_cli(capsys, *args)
    assert code == 2, (option, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "empty" in lines[0] and option in lines[0], err
    assert git_status(fork) == ""
