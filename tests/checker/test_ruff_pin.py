"""SCF001/SCF002 run the ruff the fork pins, on the paths its `make style` lints."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.checker.test_cli import check, make_repo
from transformers_scaffold.checker.ruffpin import installed_command, version_of

UNUSED = "import os\n\n\ndef f():\n    return 1\n"


def _pinning(tmp_path: Path, version: str, extra: dict[str, str] | None = None) -> Path:
    setup = f'_deps = [\n    "ruff=={version}",\n]\n'
    return make_repo(tmp_path, {"setup.py": setup, "src/transformers/utils/x.py": UNUSED, **(extra or {})})


def test_installed_ruff_that_matches_the_pin_runs_without_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    have = version_of(installed_command())
    assert have
    root = _pinning(tmp_path, have)
    code, out, _ = check(capsys, "--repo", str(root), "--select", "SCF001", "--format", "json", "--no-cache")
    data = json.loads(out)
    assert code == 1 and data["notes"] == []
    assert [f["message"].split()[0] for f in data["findings"]] == ["F401"]


def test_a_pin_that_cannot_be_installed_is_one_note_in_every_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCAFFOLD_RUFF_INSTALL", "0")
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(tmp_path / "cache"))
    root = _pinning(tmp_path, "0.0.1")
    have = version_of(installed_command())
    for args in (("--no-cache",), ()):  # cold, then from the cache: the note is still there
        code, out, _ = check(capsys, "--repo", str(root), "--select", "SCF001,SCF002", "--format", "json", *args)
        notes = json.loads(out)["notes"]
        assert len(notes) == 1 and f"ruff {have} ran" in notes[0] and "ruff==0.0.1" in notes[0], notes
    code, out, _ = check(capsys, "--repo", str(root), "--select", "SCF001")
    assert out.count("note: ruff") == 1


def test_only_the_paths_make_style_lints(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    have = version_of(installed_command())
    checkers = 'RUFF_TARGETS = [\n    "src",\n    "setup.py",\n]\n'
    root = _pinning(tmp_path, str(have), {"utils/checkers.py": checkers, ".github/scripts/y.py": UNUSED})
    code, out, _ = check(capsys, "--repo", str(root), "--select", "SCF001", "--format", "json", "--no-cache")
    assert {f["path"] for f in json.loads(out)["findings"]} == {"src/transformers/utils/x.py"}


@pytest.mark.slow
def test_the_pinned_version_is_installed_and_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(cache))
    monkeypatch.delenv("SCAFFOLD_RUFF_INSTALL", raising=False)
    pin = "0.14.10" if version_of(installed_command()) != "0.14.10" else "0.14.9"
    root = _pinning(tmp_path, pin)
    code, out, _ = check(capsys, "--repo", str(root), "--select", "SCF001", "--format", "json", "--no-cache")
    binary = cache / "ruff" / pin / "bin" / "ruff"
    assert json.loads(out)["notes"] == [] and binary.is_file() and os.access(binary, os.X_OK)
    assert version_of([str(binary)]) == pin
