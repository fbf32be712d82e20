"""Scaffold `--like SOURCE` into a clone of the fork and run a selection of its generated tests.

Shared by the suite tests (`test_suite_*.py`): each asserts the counts its selection must give.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import clone_fork
from transformers_scaffold.cli import main

EFFICIENCY = "tests/models/acme/test_efficiency_acme.py"
MODELING = "tests/models/acme/test_modeling_acme.py"
OUTCOMES = ("passed", "skipped", "failed", "error")


def scaffold_like(source: str, sdist_fork: Path, tmp_path: Path) -> Path:
    """A fork clone with model `acme` made `--like source`; fails the test when the scaffold does."""
    fork = clone_fork(sdist_fork, tmp_path / "fork")
    assert main(["new-model", "acme", "--like", source, "--yes", "--repo", str(fork), "--date", "2026-12-02"]) == 0
    return fork


def run_selection(
    fork: Path, paths: list[str], selection: str, tmp_path: Path, warnings: bool = False
) -> tuple[dict[str, int], str]:
    """The outcome counts of `pytest PATHS -k SELECTION` in the fork (warnings ignored unless `warnings`:
    a test that asserts a deprecation warning needs them), and its output."""
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", *paths, "-k", selection, "-rA", "-q", "-p", "no:cacheprovider"]
        + ["-p", "no:xdist", "--basetemp", str(tmp_path / "tmp")]
        + ([] if warnings else ["-W", "ignore"]),
        cwd=fork,
        capture_output=True,
        text=True,
        timeout=900,
    )
    last = (proc.stdout.strip().splitlines() or [""])[-1]
    found = {k: int(n) for n, k in re.findall(r"(\d+) (passed|failed|skipped|error)", last)}
    return {k: found.get(k, 0) for k in OUTCOMES}, proc.stdout
