"""The hooks in .pre-commit-hooks.yaml, run by real `pre-commit try-repo` inside a fork fixture."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.checker.fixtures import git

REPO_ROOT = Path(__file__).resolve().parents[2]
HOOKS = REPO_ROOT / ".pre-commit-hooks.yaml"


def try_repo(fork: Path, home: Path, hook: str, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    env.pop("PRE_COMMIT_FROM_REF", None)
    cmd = [sys.executable, "-m", "pre_commit", "try-repo", str(REPO_ROOT), hook, "--verbose", *extra]
    return subprocess.run(cmd, cwd=fork, capture_output=True, text=True, env=env, timeout=300)


def test_hooks_file_declares_both_hooks() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load(HOOKS.read_text())}
    assert set(hooks) == {"scaffold-check", "scaffold-tests"}
    assert "pre-push" in hooks["scaffold-tests"]["stages"]
    assert hooks["scaffold-check"]["pass_filenames"] is True


@pytest.mark.slow
def test_try_repo_runs_the_checker_on_staged_files(fork: Path, tmp_path: Path) -> None:
    helper = fork / "src/transformers/models/llama/debug_helper.py"
    helper.write_text("def inspect(x):\n    breakpoint()\n    return x\n")
    git(fork, "add", str(helper))
    result = try_repo(fork, tmp_path / "pc-home", "scaffold-check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "SCF313" in result.stdout and "debug_helper.py" in result.stdout
    helper.write_text("def inspect(x):\n    return x\n")
    git(fork, "add", str(helper))
    result = try_repo(fork, tmp_path / "pc-home", "scaffold-check")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_try_repo_runs_exactly_the_affected_tests(fork: Path, tmp_path: Path) -> None:
    tests_dir = fork / "tests/models/llama"
    tests_dir.mkdir(parents=True, exist_ok=True)
    (tests_dir / "test_scaffold_probe.py").write_text("def test_probe():\n    assert 1 + 1 == 3\n")
    other = fork / "tests/models/bert"
    other.mkdir(parents=True, exist_ok=True)
    (other / "test_untouched_probe.py").write_text("def test_untouched():\n    assert False\n")
    git(fork, "add", "-A")
    git(fork, "-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "-q", "-m", "bert probe")
    (fork / "src/transformers/models/llama/configuration_llama.py").open("a").write("\n# touched\n")
    git(fork, "add", "-A")
    result = try_repo(fork, tmp_path / "pc-home", "scaffold-tests", "--hook-stage", "manual")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "SCF401" in result.stdout and "test_probe failed" in result.stdout
    assert "test_untouched" not in result.stdout
    # It says what it ran and how long that took.
    assert re.search(r"note: ran 1 affected test file\(s\) in \d+\.\d s: tests/models/llama/", result.stdout)
