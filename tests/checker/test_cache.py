"""The findings cache: warm whole-tree runs re-run nothing, and never serve a stale finding."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.checker.fixtures import materialise
from tests.checker.test_ruff_pin import _pinning
from transformers_scaffold.checker.cache import RACY_NS, FindingsCache
from transformers_scaffold.checker.runner import CheckOptions, run_check


def _age(root: Path) -> None:
    """Every file older than the racy window, as files of a checkout are on a warm run."""
    old = (os.stat(root).st_mtime_ns - 10 * RACY_NS) / 1e9
    for path in root.rglob("*"):
        if ".git" not in path.parts and path.is_file():
            os.utime(path, (old, old))


def _run(root: Path, code: str) -> tuple[list[tuple[str, int]], set[str], list[str]]:
    report = run_check(CheckOptions(root=root, select=(code,)))
    return [(f.path, f.line) for f in report.findings], set(report.timings), report.notes


def test_a_warm_whole_tree_run_reruns_no_repository_rule(tmp_path: Path) -> None:
    root, _ = materialise("SCF112", tmp_path)
    _age(root)
    cold, ran, _ = _run(root, "SCF112")
    assert cold and "SCF112" in ran
    warm, ran, _ = _run(root, "SCF112")
    assert warm == cold and "SCF112" not in ran, "served from the cache, not re-run"


def test_an_edited_file_reruns_the_repository_rules(tmp_path: Path) -> None:
    root, _ = materialise("SCF112", tmp_path)
    _age(root)
    cold, _, _ = _run(root, "SCF112")
    path = root / cold[0][0]
    text = path.read_text()
    # Same size, new content: the stat changes (mtime), so the content is hashed again.
    path.write_text(text.replace("class ", "class_", 1) if "class " in text else text + "#")
    after, ran, _ = _run(root, "SCF112")
    assert "SCF112" in ran, "the tree changed: the rule ran again"
    path.unlink()
    gone, ran, _ = _run(root, "SCF112")
    assert "SCF112" in ran and all(p != cold[0][0] for p, _ in gone)


def test_notes_of_a_cached_repository_rule_come_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCAFFOLD_RUFF_INSTALL", "0")
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(tmp_path / "cache"))
    root = _pinning(tmp_path, "0.0.1")
    _age(root)
    cold, ran, notes = _run(root, "SCF001")
    assert "SCF001" in ran and len(notes) == 1 and "ruff==0.0.1" in notes[0]
    warm, ran, warm_notes = _run(root, "SCF001")
    assert "SCF001" not in ran and warm == cold and warm_notes == notes


def test_a_stat_inside_the_racy_window_is_not_trusted(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    first = FindingsCache(tmp_path, "k")
    digest = first.digest("a.py")
    first.save()
    # Same size and the same mtime as before, but written within the racy window: hashed again.
    stat = (tmp_path / "a.py").stat()
    (tmp_path / "a.py").write_text("x = 2\n")
    os.utime(tmp_path / "a.py", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert FindingsCache(tmp_path, "k").digest("a.py") != digest
