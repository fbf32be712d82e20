"""`--tests`: which tests a change affects (model package -> its tests; shared module -> importers)."""

from __future__ import annotations

from pathlib import Path

from tests.checker.fixtures import git
from transformers_scaffold.checker.affected import affected_tests
from transformers_scaffold.checker.context import CheckContext
from transformers_scaffold.checker.runner import CheckOptions, run_check
from transformers_scaffold.checker.settings import Settings

FILES = {
    "src/transformers/modeling_utils.py": "X = 1\n",
    "src/transformers/pytorch_utils.py": "Y = 1\n",
    "src/transformers/models/acme/modeling_acme.py": "Z = 1\n",
    "tests/models/acme/test_modeling_acme.py": "def test_a():\n    assert True\n",
    "tests/models/beta/test_modeling_beta.py": "from transformers.modeling_utils import X\n\n\ndef test_b():\n    assert X == 1\n",
    "tests/utils/test_pytorch.py": "from transformers import pytorch_utils\n\n\ndef test_c():\n    assert pytorch_utils.Y == 2\n",
    "tests/utils/test_other.py": "def test_d():\n    assert True\n",
}


def make(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def ctx_for(root: Path, files: tuple[str, ...]) -> CheckContext:
    return CheckContext(root=root, files=files, settings=Settings())


def test_selection(tmp_path: Path) -> None:
    root = make(tmp_path)
    assert affected_tests(ctx_for(root, ("src/transformers/models/acme/modeling_acme.py",))) == [
        "tests/models/acme/test_modeling_acme.py"
    ]
    assert affected_tests(ctx_for(root, ("src/transformers/modeling_utils.py",))) == [
        "tests/models/beta/test_modeling_beta.py"
    ]
    assert affected_tests(ctx_for(root, ("src/transformers/pytorch_utils.py",))) == ["tests/utils/test_pytorch.py"]
    assert affected_tests(ctx_for(root, ("tests/utils/test_other.py", "README.md"))) == ["tests/utils/test_other.py"]
    assert affected_tests(ctx_for(root, ("docs/index.md",))) == []


def test_shared_module_change_runs_its_importers_and_reports_failures(tmp_path: Path) -> None:
    root = make(tmp_path)
    (root / "src/transformers/pytorch_utils.py").write_text("Y = 1\nW = 0\n")
    report = run_check(CheckOptions(root=root, changed=True, select=("SCF401",), tests=True, use_cache=False))
    assert [(f.path, f.line) for f in report.findings] == [("tests/utils/test_pytorch.py", 4)]
    assert "test_c failed" in report.findings[0].message
    no_tests = run_check(CheckOptions(root=root, changed=True, select=("SCF401",), tests=False, use_cache=False))
    assert no_tests.findings == []


def test_pre_push_range_from_pre_commit_environment(tmp_path: Path, monkeypatch, capsys) -> None:
    from transformers_scaffold.cli import main

    root = make(tmp_path)
    base = git(root, "rev-parse", "HEAD").strip()
    (root / "src/transformers/pytorch_utils.py").write_text("Y = 1\nW = 0\n")
    git(root, "commit", "-qam", "pushed change")
    args = ["check", "--repo", str(root), "--changed", "--select", "SCF401", "--tests", "--format", "json"]
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", base)
    assert main(args) == 1
    assert '"path": "tests/utils/test_pytorch.py"' in capsys.readouterr().out
    # A new branch: pre-commit passes an all-zero ref; the base falls back to `main`, whose tip is
    # the pushed commit itself here, so nothing is affected.
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", "0" * 40)
    assert main(args) == 0
