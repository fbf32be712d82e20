"""The `scaffold-check` hook (its entry read from .pre-commit-hooks.yaml) under real `git commit`
in a git worktree and in a submodule, where git exports GIT_DIR to the hook; and with GIT_DIR set."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.checker.fixtures import GIT_ENV, git

REPO_ROOT = Path(__file__).resolve().parents[2]
LIB = "src/transformers/models/acme/helpers.py"
# A pre-existing warning (SCF309) that a comment-only edit must not turn into a blocked commit.
BASE = "import requests\n\n\ndef fetch(url):\n    return requests.get(url)\n"
BAD = "def probe(x):\n    breakpoint()\n    return x\n"


def _hook_config() -> str:
    hook = next(
        h for h in yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text()) if h["id"] == "scaffold-check"
    )
    local = {k: hook[k] for k in ("id", "name", "entry", "language", "pass_filenames", "require_serial", "stages")}
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]})


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_ENV)
    env["PRE_COMMIT_HOME"] = str(home)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    return env


def _commit(cwd: Path, home: Path, message: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "commit", "-q", "-m", message], cwd=cwd, capture_output=True, text=True, env=_env(home), timeout=300
    )


def _fork(root: Path) -> Path:
    (root / LIB).parent.mkdir(parents=True)
    (root / LIB).write_text(BASE)
    (root / ".pre-commit-config.yaml").write_text(_hook_config())
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def _install(repo: Path, home: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"], cwd=repo, check=True, capture_output=True, env=_env(home)
    )


def _exercise(work: Path, home: Path) -> None:
    path = work / LIB
    path.write_text("# a comment-only edit\n" + BASE)
    git(work, "add", "-A")
    ok = _commit(work, home, "comment")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    path.write_text(BASE + "\n\n" + BAD)
    git(work, "add", "-A")
    blocked = _commit(work, home, "debugger")
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0 and "SCF313" in output and "helpers.py" in output, output
    assert "not a Transformers checkout" not in output


@pytest.mark.slow
def test_hook_in_a_git_worktree(tmp_path: Path) -> None:
    main = _fork(tmp_path / "main")
    home = tmp_path / "pc-home"
    _install(main, home)
    git(main, "worktree", "add", "-q", "-b", "feature", str(tmp_path / "wt"))
    _exercise(tmp_path / "wt", home)


@pytest.mark.slow
def test_hook_in_a_submodule(tmp_path: Path) -> None:
    fork = _fork(tmp_path / "fork")
    outer = tmp_path / "outer"
    outer.mkdir()
    git(outer, "init", "-q", "-b", "main")
    git(outer, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(fork), "fork")
    sub = outer / "fork"
    home = tmp_path / "pc-home"
    _install(sub, home)
    _exercise(sub, home)


def test_changed_with_git_dir_set_from_a_subfolder(tmp_path: Path) -> None:
    root = _fork(tmp_path / "main")
    git(root, "worktree", "add", "-q", "-b", "feature", str(tmp_path / "wt"))
    wt = tmp_path / "wt"
    (wt / LIB).write_text(BASE + "\n\n" + BAD)
    env = _env(tmp_path / "home")
    env["GIT_DIR"] = git(wt, "rev-parse", "--absolute-git-dir").strip()
    proc = subprocess.run(
        [sys.executable, "-m", "transformers_scaffold", "check", "--changed", "--select", "SCF313", LIB],
        cwd=wt,
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 1 and "SCF313" in proc.stdout, proc.stdout + proc.stderr
