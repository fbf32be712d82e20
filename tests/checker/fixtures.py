"""Materialise a rule fixture (`tests/fixtures/checks/<CODE>/`) as a repository in a tmp dir.

A fixture is a small repository tree. Lines carrying `expect: <CODE>` (in any comment syntax)
are where the rule must report; `expected.txt` lists `path:line` for files that cannot hold a
comment (binaries). A `base/` folder makes it a `--changed` fixture: `base/` is committed
first, then the rest of the tree is laid over it as the uncommitted change. A `fixed/` folder
holds snapshots: after `--fix`, each file under it must equal the repaired file.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "checks"
MARK = re.compile(r"expect:\s*(SCF\d{3}(?:\s*,\s*SCF\d{3})*)")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@t.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@t.invalid",
}


def git(root: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True, env=env).stdout


def _copy(src: Path, dest: Path, skip: set[str]) -> None:
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if rel.parts[0] in skip or not path.is_file():
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def materialise(code: str, dest: Path) -> tuple[Path, bool]:
    """Returns (repository root, is_changed_fixture)."""
    src = FIXTURES / code
    root = dest / "repo"
    root.mkdir(parents=True)
    changed = (src / "base").is_dir()
    git(root, "init", "-q", "-b", "main")
    if changed:
        _copy(src / "base", root, set())
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "base")
    _copy(src, root, {"base", "expected.txt", "fixed"})
    return root, changed


def fixed_snapshots(code: str) -> dict[str, str]:
    folder = FIXTURES / code / "fixed"
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


def expected_marks(code: str, root: Path) -> set[tuple[str, int]]:
    marks: set[tuple[str, int]] = set()
    for path in sorted(root.rglob("*")):
        if ".git" in path.parts or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            match = MARK.search(line)
            if match and code in re.split(r"\s*,\s*", match.group(1)):
                marks.add((path.relative_to(root).as_posix(), number))
    listed = FIXTURES / code / "expected.txt"
    if listed.is_file():
        for line in listed.read_text().split():
            path, _, number = line.rpartition(":")
            marks.add((path, int(number)))
    return marks
