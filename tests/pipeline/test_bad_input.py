"""Bad input: one line on stderr naming the problem, exit code 2, and the fork untouched."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.pipeline.helpers import git_status, run_cli

BAD_NAMES = [
    "",
    " ",
    "my model",
    "my-model ",
    " my-model",
    "1model",
    "-model",
    "model-",
    "_model",
    "my--model",
    "my__model",
    "my-_model",
    "My-Model",
    "my.model",
    "my/model",
    "../evil",
    "modèle",
    "模型",
    "my_model!",
    "my\nmodel",
    "a" * 65,
    "class",
    "import",
    "def",
    "match",
    "auto",
    "llama",
    "bert",
    "xlm-roberta",
    "XLMRoberta",
    "Llama",
    "mistral",
]


def _assert_refused(code: int, out: str, err: str, fork: Path, needle: str | None = None) -> None:
    assert code == 2, (code, out, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    if needle:
        assert needle in lines[0], lines[0]
    assert git_status(fork) == ""


@pytest.mark.parametrize("name", BAD_NAMES)
def test_bad_model_names_are_refused(name: str, fork: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "new-model", name, "--repo", str(fork), "--yes")
    _assert_refused(code, out, err, fork)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--template", "transformer"], "unknown template"),
        (["--template", "decoder", "--like", "llama"], "exclusive"),
        (["--like", "no-such-model"], "no-such-model"),
        (["--tokenizer", "no-such-model"], "no-such-model"),
        (["--date", "2026-13-01"], "YYYY-MM-DD"),
        (["--date", "tomorrow"], "YYYY-MM-DD"),
        (["--paper-name", ""], "--paper-name"),
        (["--paper-name", "two\nlines"], "--paper-name"),
        (["--checkpoint", "{{ evil }}"], "--checkpoint"),
        (["--checkpoint", "x" * 300], "--checkpoint"),
        (["--no-such-flag"], "no-such-flag"),
    ],
)
def test_bad_options_are_refused(args: list[str], needle: str, fork: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "new-model", "acme", "--repo", str(fork), "--yes", *args)
    _assert_refused(code, out, err, fork, needle)


def test_missing_name_is_a_usage_error(fork: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "new-model", "--repo", str(fork), "--yes")
    _assert_refused(code, out, err, fork)


def test_repo_that_does_not_exist(tmp_path: Path, fork: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "new-model", "acme", "--repo", str(tmp_path / "nope"), "--yes")
    _assert_refused(code, out, err, fork, "no such directory")


def test_repo_that_is_not_transformers(tmp_path: Path, fork: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain = tmp_path / "plain"
    subprocess.run(["git", "init", "-q", str(plain)], check=True)
    code, out, err = run_cli(capsys, "new-model", "acme", "--repo", str(plain), "--yes")
    _assert_refused(code, out, err, fork, "not a Transformers source tree")
    assert list(plain.iterdir()) == [plain / ".git"]


def test_dirty_file_that_would_be_edited(fork: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = fork / "src/transformers/models/auto/modeling_auto.py"
    target.write_text(target.read_text(encoding="utf-8") + "\n# local change\n", encoding="utf-8")
    before = target.read_bytes()
    code, out, err = run_cli(capsys, "new-model", "acme", "--repo", str(fork), "--yes")
    assert code == 2 and "uncommitted changes" in err, err
    assert target.read_bytes() == before
    assert git_status(fork).strip() == "M src/transformers/models/auto/modeling_auto.py"


def test_leftover_untracked_file_at_a_created_path(fork: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stray = fork / "docs/source/en/model_doc/acme.md"
    stray.parent.mkdir(parents=True)
    stray.write_text("mine\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "new-model", "acme", "--repo", str(fork), "--yes")
    assert code == 2 and "already exists" in err, err
    assert stray.read_text(encoding="utf-8") == "mine\n"


def test_unsupported_fork_version_is_refused(fork: Path, capsys: pytest.CaptureFixture[str]) -> None:
    init = fork / "src/transformers/__init__.py"
    init.write_text(init.read_text(encoding="utf-8").replace('__version__ = "5.24.0"', '__version__ = "4.57.1"'))
    subprocess.run(["git", "commit", "-qam", "pretend 4.57"], cwd=fork, check=True)
    code, out, err = run_cli(capsys, "new-model", "acme", "--repo", str(fork), "--yes", "--template", "decoder")
    _assert_refused(code, out, err, fork, "4.57.1")


def test_missing_git_is_one_line(
    fork: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with monkeypatch.context() as patched:
        patched.setenv("PATH", "/nonexistent")
        code, out, err = run_cli(capsys, "new-model", "acme", "--yes", "--template", "decoder")
    _assert_refused(code, out, err, fork, "git is not installed")
