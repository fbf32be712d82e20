"""`scaffold check` end to end: exit codes, formats, suppressions, settings, --changed, cache."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.checker.fixtures import git
from transformers_scaffold.cli import main

DEBUG = "import pdb\n\n\ndef f(x):\n    breakpoint()\n    return x\n"
CLEAN = "def f(x):\n    return x\n"
LIB = "src/transformers/utils/helpers.py"


def make_repo(tmp_path: Path, files: dict[str, str], commit: bool = True) -> Path:
    root = tmp_path / "repo"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    git(root, "init", "-q", "-b", "main")
    if commit:
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "base")
    return root


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_exit_codes_clean_findings_and_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path, {LIB: DEBUG, "src/transformers/utils/other.py": CLEAN})
    assert (
        check(capsys, "--repo", str(root), "--select", "SCF313", str(root / "src/transformers/utils/other.py"))[0] == 0
    )
    code, out, _ = check(capsys, "--repo", str(root), "--select", "SCF313")
    assert code == 1 and "SCF313" in out and out.count("breakpoint()") == 1
    for bad in (["--select", "SCF999"], ["--format", "xml"], [str(tmp_path / "missing.py")]):
        code, out, err = check(capsys, "--repo", str(root), *bad)
        assert code == 2 and err.startswith("error: ") and len(err.strip().splitlines()) == 1


def test_changed_needs_git(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "plain/src/transformers").mkdir(parents=True)
    code, _, err = check(capsys, "--repo", str(tmp_path / "plain"), "--changed")
    assert code == 2 and "needs a git repository" in err
    root = make_repo(tmp_path, {LIB: CLEAN})
    code, _, err = check(capsys, "--repo", str(root), "--base", "no-such-branch")
    assert code == 2 and "no-such-branch" in err


def test_json_output_file_and_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path, {LIB: DEBUG})
    report = tmp_path / "out.json"
    code, out, _ = check(capsys, "--repo", str(root), "--select", "SCF313", "--format", "json", "-o", str(report))
    assert code == 1 and out == ""
    data = json.loads(report.read_text())
    assert [(f["code"], f["line"], f["fixable"]) for f in data["findings"]] == [
        ("SCF313", 1, True),
        ("SCF313", 5, True),
    ]
    code, out, _ = check(capsys, "--repo", str(root), "--select", "SCF313", "--fix")
    assert code == 0 and "Fixed 2" in out
    assert "breakpoint" not in (root / LIB).read_text() and "import pdb" not in (root / LIB).read_text()


def test_line_and_file_suppressions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "import pdb  # scaffold: ignore[SCF313]\n\n\ndef f(x):\n    breakpoint()  # scaffold: ignore[SCF3]\n    pdb.set_trace()  # scaffold: ignore\n    breakpoint()  # scaffold: ignore[SCF001]\n    return x\n"
    root = make_repo(tmp_path, {LIB: text, "src/transformers/b.py": "# scaffold: ignore-file[SCF313]\nbreakpoint()\n"})
    code, out, _ = check(capsys, "--repo", str(root), "--select", "SCF313", "--format", "json")
    assert code == 1
    assert [(f["path"], f["line"]) for f in json.loads(out)["findings"]] == [(LIB, 7)]


def test_pyproject_settings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pyproject = '[tool.scaffold]\nignore = ["SCF001", "SCF002"]\nexclude = ["src/transformers/vendored/*"]\n[tool.scaffold.per-file-ignores]\n"src/transformers/debugging/*" = ["SCF313"]\n'
    files = {
        "pyproject.toml": pyproject,
        LIB: DEBUG,
        "src/transformers/vendored/x.py": DEBUG,
        "src/transformers/debugging/y.py": DEBUG,
    }
    root = make_repo(tmp_path, files)
    code, out, _ = check(capsys, "--repo", str(root), "--format", "json")
    found = json.loads(out)["findings"]
    assert code == 1 and {f["path"] for f in found} == {LIB} and {f["code"] for f in found} == {"SCF313"}
    (root / "pyproject.toml").write_text("[tool.scaffold]\nselect = 3\n")
    assert check(capsys, "--repo", str(root))[0] == 2


def test_changed_checks_only_the_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path, {LIB: DEBUG, "src/transformers/utils/b.py": CLEAN})
    git(root, "checkout", "-q", "-b", "feature")
    (root / "src/transformers/utils/b.py").write_text(CLEAN + "\n\ndef g():\n    breakpoint()\n")
    (root / "src/transformers/utils/new.py").write_text("breakpoint()\n")
    code, out, _ = check(capsys, "--repo", str(root), "--select", "SCF313", "--changed", "--format", "json")
    assert code == 1
    assert sorted({f["path"] for f in json.loads(out)["findings"]}) == [
        "src/transformers/utils/b.py",
        "src/transformers/utils/new.py",
    ]
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "feature")
    assert check(capsys, "--repo", str(root), "--select", "SCF313", "--changed")[0] == 0
    code, out, _ = check(capsys, "--repo", str(root), "--select", "SCF313", "--base", "main", "--format", "json")
    assert code == 1 and {f["path"] for f in json.loads(out)["findings"]} == {
        "src/transformers/utils/b.py",
        "src/transformers/utils/new.py",
    }


def test_cache_is_reused_and_invalidated_by_content(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path, {LIB: DEBUG})
    assert check(capsys, "--repo", str(root), "--select", "SCF313")[0] == 1
    cache = root / ".cache" / "scaffold-check" / "findings.json"
    assert cache.is_file() and "SCF313" in cache.read_text()
    assert git(root, "status", "--porcelain") == "", "the cache folder ignores itself"
    assert check(capsys, "--repo", str(root), "--select", "SCF313")[0] == 1
    (root / LIB).write_text(CLEAN)
    assert check(capsys, "--repo", str(root), "--select", "SCF313")[0] == 0


def test_console_script_in_a_subprocess(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {LIB: DEBUG})
    exe = Path(sys.executable).parent / "scaffold"
    proc = subprocess.run(
        [str(exe), "check", "--select", "SCF313", "--format", "github"],
        cwd=root / "src",
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith(f"::error file={LIB},line=1,")


def test_changed_reports_line_findings_only_on_changed_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = "def f(x):\n    breakpoint()\n    return x\n\n\ndef g(y):\n    return y\n"
    model = "src/transformers/models/acme/modeling_acme.py"
    modeling = "from ...modeling_utils import PreTrainedModel\n\n\nclass AcmePreTrainedModel(PreTrainedModel):\n    base_model_prefix = 'model'\n\n\nclass AcmeModel(AcmePreTrainedModel):\n    pass\n\n\n__all__ = ['AcmePreTrainedModel', 'AcmeModel']\n"
    root = make_repo(tmp_path, {LIB: old, model: modeling})
    (root / LIB).write_text(old.replace("    return y\n", "    breakpoint()\n    return y\n"))
    (root / model).write_text(modeling + "\n\nclass AcmeForCausalLM(AcmePreTrainedModel):\n    pass\n")
    code, out, _ = check(capsys, "--repo", str(root), "--changed", "--select", "SCF313,SCF105", "--format", "json")
    found = sorted((f["code"], f["path"], f["line"]) for f in json.loads(out)["findings"])
    # The old breakpoint (line 2) is upstream debt and stays quiet; the new one (line 7) is reported;
    # SCF105 is about the whole file, so the unchanged __all__ line is reported too.
    assert code == 1 and found == [("SCF105", model, 12), ("SCF313", LIB, 7)]
    code, out, _ = check(capsys, "--repo", str(root), "--select", "SCF313", "--format", "json")
    assert sorted(f["line"] for f in json.loads(out)["findings"]) == [2, 7], "a plain run reports everything"
