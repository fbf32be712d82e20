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
        _read_until(parent, "Scaffolded acme (encoder)")
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
        os.close(parent)
    doc = Fork(fork).read("docs/source/en/model_doc/acme.md") or ""
    assert "acme-org/acme-base" in doc
    assert "AcmeForMaskedLM" in (Fork(fork).read("src/transformers/models/acme/modeling_acme.py") or "")
