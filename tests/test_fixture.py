from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from transformers_scaffold.fixture.standins import STANDINS


def test_fork_is_a_clean_git_repo_with_the_standins(fork: Path) -> None:
    status = subprocess.run(["git", "status", "--porcelain"], cwd=fork, capture_output=True, text=True, check=True)
    assert status.stdout == ""
    for rel in STANDINS:
        assert (fork / rel).is_file(), rel
    assert (fork / "src/transformers/models/llama/modeling_llama.py").is_file()
    assert not (fork / "utils").exists()


def test_fork_src_wins_over_the_installed_transformers(fork: Path) -> None:
    probe = "import transformers, pathlib; print(pathlib.Path(transformers.__file__).resolve())"
    out = subprocess.run(
        [sys.executable, "-c", f"import conftest; {probe}"], cwd=fork, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert Path(out).is_relative_to(fork.resolve() / "src")


def test_common_test_modules_import_with_the_standins(fork: Path) -> None:
    code = "import tests.test_modeling_common as m, tests.test_configuration_common as c; print(m.ModelTesterMixin.__name__)"
    proc = subprocess.run([sys.executable, "-c", f"import conftest; {code}"], cwd=fork, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "ModelTesterMixin"
