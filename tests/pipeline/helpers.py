"""Helpers for tests that run `scaffold` against a fork and check it was left untouched."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from transformers_scaffold.cli import main


def tree_state(root: Path) -> dict[str, str]:
    """Hash of every file under `root` except .git: byte-identity of the work tree."""
    state = {}
    for path in sorted(root.rglob("*")):
        if ".git" in path.relative_to(root).parts:
            continue
        if path.is_file() or path.is_symlink():
            state[path.relative_to(root).as_posix()] = hashlib.sha1(path.read_bytes()).hexdigest()
        elif path.is_dir():
            state[path.relative_to(root).as_posix() + "/"] = "dir"
    return state


def git_status(root: Path) -> str:
    proc = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "--ignored"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err
