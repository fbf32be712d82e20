"""`scaffold check` on bad input: settings, paths, trees, broken files; severity thresholds; JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.checker.fixtures import git
from tests.checker.test_cli import LIB, check, make_repo
from transformers_scaffold import __version__

DEBUG = "import pdb\n\n\ndef f(x):\n    breakpoint()\n    return x\n"
NO_TIMEOUT = "import requests\n\n\ndef f(url):\n    return requests.get(url)\n"  # SCF309: a warning


def _one_line_usage_error(result: tuple[int, str, str], *words: str) -> None:
    code, out, err = result
    assert code == 2, (code, out, err)
    assert out == "" and err.startswith("error: ") and len(err.strip().splitlines()) == 1, err
    for word in words:
        assert word in err, (word, err)


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ('select = ["SCF999"]', ("select", "SCF999")),
        ('ignore = ["SCF9"]', ("ignore", "SCF9")),
        ('selct = ["SCF3"]', ("selct", "unknown setting")),
        ('fail-on = "never"', ("fail-on", "never")),
        ('per-file-ignores = {"src/*" = ["XYZ1"]}', ("per-file-ignores", "XYZ1")),
        ('[tool.scaffold.rule-options.large-file]\nmax-kb = "big"', ("max-kb", "big")),
        ("[tool.scaffold.rule-options.large-file]\nmax-mb = 3", ("max-mb", "unknown option")),
        ("[tool.scaffold.rule-options.no-such-rule]\nx = 1", ("no-such-rule",)),
        ('[tool.scaffold.rule-options.config-attr-unused]\nallow = "field"', ("allow", "a list")),
    ],
)
def test_bad_settings_are_one_line_errors(
    table: str, words: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(tmp_path, {LIB: DEBUG, "pyproject.toml": f"[tool.scaffold]\n{table}\n"})
    _one_line_usage_error(check(capsys, "--repo", str(root), "--select", "SCF313"), *words)


def test_good_settings_still_load(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = '[tool.scaffold]\nselect = ["SCF3"]\nfail-on = "warning"\n[tool.scaffold.rule-options.large-file]\nmax-kb = 2048\n'
    root = make_repo(tmp_path, {LIB: DEBUG, "pyproject.toml": table})
    code, out, _ = check(capsys, "--repo", str(root))
    assert code == 1 and "SCF313" in out


def test_missing_paths_and_trees_that_are_not_transformers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path, {LIB: DEBUG})
    _one_line_usage_error(check(capsys, "--repo", str(root), str(root / "no/such/dir/file.py")), "does not exist")
    _one_line_usage_error(check(capsys, str(tmp_path / "missing-dir" / "x.py")), "does not exist")
    _one_line_usage_error(check(capsys, "--repo", str(tmp_path / "nowhere")), "not a directory")
    plain = tmp_path / "plain"
    (plain / "lib").mkdir(parents=True)
    (plain / "lib/x.py").write_text(DEBUG)
    git(plain, "init", "-q")
    _one_line_usage_error(check(capsys, "--repo", str(plain)), "not a Transformers checkout")


def test_changed_outside_git_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain = tmp_path / "plain"
    (plain / "src/transformers").mkdir(parents=True)
    _one_line_usage_error(check(capsys, "--repo", str(plain), "--changed"), "--changed needs a git repository")


def test_fail_on_threshold_from_flag_settings_and_hook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path, {LIB: NO_TIMEOUT})
    args = ("--repo", str(root), "--select", "SCF309,SCF313")
    code, out, _ = check(capsys, *args)
    assert code == 1 and "SCF309 warning" in out  # default: any finding fails
    assert check(capsys, *args, "--fail-on", "error")[0] == 0
    assert check(capsys, *args, "--fail-on", "warning")[0] == 1
    assert check(capsys, *args, "--hook")[0] == 0  # hooks fail on errors only
    (root / "pyproject.toml").write_text('[tool.scaffold]\nfail-on = "error"\n')
    assert check(capsys, *args)[0] == 0
    assert check(capsys, *args, "--fail-on", "warning")[0] == 1  # the flag wins over the file
    (root / "pyproject.toml").write_text('[tool.scaffold]\nfail-on = "warning"\n')
    assert check(capsys, *args, "--hook")[0] == 1  # the file wins over the hook's default
    (root / LIB).write_text(DEBUG)
    (root / "pyproject.toml").unlink()
    assert check(capsys, *args, "--hook")[0] == 1  # an error still blocks the hook
    _one_line_usage_error(check(capsys, *args, "--fail-on", "fatal"), "--fail-on")


def test_json_carries_tool_version_and_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path, {LIB: DEBUG, "src/transformers/utils/net.py": NO_TIMEOUT})
    code, out, _ = check(capsys, "--repo", str(root), "--select", "SCF309,SCF313", "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["tool_version"] == __version__
    assert data["counts"] == {"error": 2, "warning": 1, "info": 0}
    assert sum(data["counts"].values()) == len(data["findings"])


def test_a_file_that_does_not_parse_is_a_finding_and_json_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(tmp_path, {LIB: "def f(x):\n    return x\n"})
    (root / LIB).write_text("def f(x:\n    return x\n")
    report = tmp_path / "findings.json"
    code, out, err = check(capsys, "--repo", str(root), "--changed", "--format", "json", "-o", str(report))
    assert code == 1, err
    assert "Traceback" not in err
    found = json.loads(report.read_text())["findings"]
    assert [(f["code"], f["path"]) for f in found if f["code"] == "SCF003"] == [("SCF003", LIB)]
    assert not any("invalid-syntax" in f["message"] or "SyntaxError" in f["message"] for f in found)
