"""Without --yes and on a terminal, `scaffold new-model` asks for what the flags left open."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from transformers_scaffold.fork import Fork


def _read_until(fd: int, needle: str, timeout: float = 60.0) -> str:
    seen, deadline = "", time.monotonic() + timeout
    while needle not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 4096).decode(errors="replace")
            except OSError:
                break
    assert needle in seen, seen
    return seen


def test_prompts_on_a_tty_for_template_paper_and_checkpoint(fork: Path) -> None:
    parent, child = pty.openpty()
    cmd = [sys.executable, "-m", "transformers_scaffold", "new-model", "acme", "--repo", str(fork)]
    proc = subprocess.Popen(cmd, stdin=child, stdout=child, stderr=child, close_fds=True)
    os.close(child)
    try:
        _read_until(parent, "Template")
        os.write(parent, b"encoder\n")
        _read_until(parent, "Paper or release name")
        os.write(parent, b"ACME: a test model\n")
        _read_until(parent, "Hub checkpoint")
        os.write(parent, b"acme-org/acme-base\n")
        _read_until(parent, "Write these files?")
        os.write(parent, b"y\n")
        _read_until(parent, "Scaffolded acme (encoder)")
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
        os.close(parent)
    doc = Fork(fork).read("docs/source/en/model_doc/acme.md") or ""
    assert "acme-org/acme-base" in doc
    assert "AcmeForMaskedLM" in (Fork(fork).read("src/transformers/models/acme/modeling_acme.py") or "")


def _spawn(fork: Path, *args: str) -> tuple[subprocess.Popen[bytes], int]:
    parent, child = pty.openpty()
    cmd = [sys.executable, "-m", "transformers_scaffold", "new-model", *args, "--repo", str(fork)]
    proc = subprocess.Popen(cmd, stdin=child, stdout=child, stderr=child, close_fds=True)
    os.close(child)
    return proc, parent


def test_a_bad_name_is_refused_before_any_question(fork: Path) -> None:
    proc, parent = _spawn(fork, "my model")
    try:
        seen = _read_until(parent, "invalid model name")
        assert "Template" not in seen
        assert proc.wait(timeout=60) == 2
    finally:
        proc.kill()
        os.close(parent)


def test_the_plan_is_shown_and_nothing_is_written_without_a_yes(fork: Path) -> None:
    proc, parent = _spawn(fork, "acme", "--template", "decoder", "--paper-name", "Acme", "--checkpoint", "org/acme")
    try:
        seen = _read_until(parent, "Write these files?")
        assert "create  src/transformers/models/acme/modeling_acme.py" in seen
        assert "edit    src/transformers/models/auto/modeling_auto.py" in seen
        os.write(parent, b"n\n")
        _read_until(parent, "Nothing was written.")
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
        os.close(parent)
    status = subprocess.run(["git", "status", "--porcelain"], cwd=fork, capture_output=True, text=True, check=True)
    assert status.stdout == ""
