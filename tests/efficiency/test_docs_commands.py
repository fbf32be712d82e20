"""Every command in a `console` block of docs/efficiency.md runs, in order, in a fork holding the
scaffolded decoder `acme`, from the fork's root (one shared working directory, as a reader would)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, clone_fork
from tests.efficiency import launch
from tests.efficiency.conftest import MODELS

DOC = REPO_ROOT / "docs" / "efficiency.md"


def doc_commands() -> list[str]:
    blocks = re.findall(r"^```console\n(.*?)^```", DOC.read_text(), re.M | re.S)
    return [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ ")]


def test_the_doc_has_commands_for_each_topic() -> None:
    commands = " ".join(doc_commands())
    for needle in ("--resume-from-checkpoint", "accelerate launch", "attention_map_", "generate_", "--static-cache",
                   "--assistant", "--profile", "--detect-anomaly", "--hp-search", "--device"):  # fmt: skip
        assert needle in commands, needle


@pytest.mark.slow
def test_every_console_command_in_the_doc_runs(efficiency_fork: Path, tmp_path: Path) -> None:
    assert MODELS["decoder"][0] == "acme", "the doc's commands name the decoder acme"
    fork = clone_fork(efficiency_fork, tmp_path / "fork")
    env = launch.env(fork)
    env["PATH"] = (
        f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"  # python, accelerate, torchrun of this venv
    )
    try:
        for command in doc_commands():
            proc = subprocess.run(
                ["bash", "-c", command], cwd=fork, env=env, capture_output=True, text=True, timeout=600
            )
            assert proc.returncode == 0, f"{command}\n{launch.output(proc)}"
        assert (fork / "attention.png").read_bytes()[:4] == b"\x89PNG"
        assert list((fork / "out-profile" / "profile").glob("*.pt.trace.json")), "no profiler trace"
        assert (fork / "out-hp" / "hp_search.db").is_file() and (
            fork / "out-hp" / "best_model" / "config.json"
        ).is_file()
    finally:
        shutil.rmtree(fork, ignore_errors=True)
