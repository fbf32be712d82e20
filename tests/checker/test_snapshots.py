"""Snapshots of what people and bots read: the text, JSON and GitHub renderings of one fixture.

Regenerate after an intended change with `SCAFFOLD_UPDATE_SNAPSHOTS=1 pytest tests/checker/test_snapshots.py`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.checker.fixtures import materialise
from transformers_scaffold.checker.reporters import REPORTERS
from transformers_scaffold.checker.runner import CheckOptions, run_check

SNAPSHOTS = Path(__file__).parent / "snapshots"


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_rendered_output_matches_snapshot(fmt: str, tmp_path: Path) -> None:
    root, _ = materialise("SCF313", tmp_path)
    report = run_check(CheckOptions(root=root, select=("SCF3",), use_cache=False, jobs=1))
    rendered = REPORTERS[fmt](report.findings, report.rules, report.files)
    snapshot = SNAPSHOTS / f"SCF313.{fmt}"
    if os.environ.get("SCAFFOLD_UPDATE_SNAPSHOTS"):
        snapshot.write_text(rendered)
    assert rendered == snapshot.read_text()
