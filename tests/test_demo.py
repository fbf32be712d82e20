from __future__ import annotations

import subprocess
from pathlib import Path

from transformers_scaffold.demo import run_demo


def test_demo_scaffolds_both_templates_into_one_fork_and_commits_each(tmp_path: Path) -> None:
    result = run_demo(tmp_path, ["decoder", "encoder"], run_tests=False)
    assert [r.names.module for r in result.scaffolded] == ["demo_decoder", "demo_encoder"]
    log = subprocess.run(["git", "log", "--format=%s"], cwd=result.fork, capture_output=True, text=True, check=True)
    assert log.stdout.splitlines()[:2] == [
        "Add demo-encoder (scaffold new-model --template encoder)",
        "Add demo-decoder (scaffold new-model --template decoder)",
    ]
    status = subprocess.run(["git", "status", "--porcelain"], cwd=result.fork, capture_output=True, text=True)
    assert status.stdout == ""
