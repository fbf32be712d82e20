"""Materialise a rule fixture (`tests/fixtures/checks/<CODE>/`) as a repository in a tmp dir.

A fixture is a small repository tree. Lines carrying `expect: <CODE>` (in any comment syntax)
are where the rule must report; `expected.txt` lists `path:line` for files that cannot hold a
comment (binaries). A `base/` folder makes it a `--changed` fixture: `base/` is committed
first, then the rest of the tree is laid over it as the uncommitted change. A `fixed/` folder
holds snapshots: after `--fix`, each file under it must equal the repaired file.

Most rules check the same small fake Transformers fork, so its unchanged files live once in
`_base/`: a fixture's `_base.txt` lists the `_base/` paths it takes (one per line); they are
laid down first and the fixture's own files go over them. Names starting with `_` are loader
metadata, never rule fixtures and never copied into the repository.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "checks"
SHARED = FIXTURES / "_base"
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
        if rel.parts[0] in skip or rel.parts[0].startswith("_") or not path.is_file():
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def _copy_shared(src: Path, dest: Path) -> None:
    listing = src / "_base.txt"
    if not listing.is_file():
        return
    for rel in listing.read_text().split():
        shared = SHARED / rel
        # Fail loudly on a stale listing: a silent skip would quietly change what a fixture tests.
        if not shared.is_file():
            raise FileNotFoundError(f"{listing}: {rel} is not in {SHARED}; fix or drop the line")
        if (src / rel).is_file():
            raise FileExistsError(f"{listing}: {rel} is shadowed by the fixture's own copy; drop the line")
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shared, target)


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
    _copy_shared(src, root)
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
