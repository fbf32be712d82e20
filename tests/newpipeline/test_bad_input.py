"""Bad input to `new-pipeline`: one line naming the problem, exit code 2, the fork untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pipeline.helpers import git_status, run_cli

CASES = {
    "existing task": (["text-classification"], "already in SUPPORTED_TASKS"),
    "alias": (["sentiment-analysis"], "alias"),
    "removed task": (["summarization"], "REMOVED_TASKS"),
    "upper case": (["Text-Scoring"], "invalid task name"),
    "underscore": (["text_scoring"], "invalid task name"),
    "space": (["text scoring"], "invalid task name"),
    "path": (["../evil"], "invalid task name"),
    "empty": ([""], "empty"),
    "keyword": (["class"], "keyword"),
    "too long": (["a" * 65], "at most"),
    "unknown auto class": (["text-scoring", "--model-class", "AutoModelForTextScoring"], "unknown auto class"),
    "not an auto class": (["text-scoring", "--model-class", "os.system"], "unknown auto class"),
    "bad type": (["text-scoring", "--type", "video"], "unknown --type"),
    "bad default model": (["text-scoring", "--default-model", "not a repo"], "--default-model"),
    "bad date": (["text-scoring", "--date", "yesterday"], "--date"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_refused_with_one_line_and_nothing_written(case: str, fork: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args, needle = CASES[case]
    code, out, err = run_cli(capsys, "new-pipeline", *args, "--repo", str(fork), "--yes")
    assert code == 2, (code, out, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert needle in lines[0], lines[0]
    assert git_status(fork) == ""


def test_an_existing_pipeline_module_is_refused(fork: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (fork / "src/transformers/pipelines/text_scoring.py").write_text("# someone else's\n")
    code, _, err = run_cli(capsys, "new-pipeline", "text-scoring", "--repo", str(fork), "--yes")
    assert code == 2 and "already exists" in err
    assert (fork / "src/transformers/pipelines/text_scoring.py").read_text() == "# someone else's\n"


def test_an_eager_fork_is_refused(fork: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A fork without the lazy `_PIPELINE_CLASS_TO_MODULE` table (older trees import pipelines eagerly)."""
    import subprocess

    init = fork / "src/transformers/pipelines/__init__.py"
    init.write_text(init.read_text().replace("_PIPELINE_CLASS_TO_MODULE = {", "_EAGER = {"))
    subprocess.run(["git", "commit", "-qam", "eager"], cwd=fork, check=True)
    code, _, err = run_cli(capsys, "new-pipeline", "text-scoring", "--repo", str(fork), "--yes")
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1 and "no _PIPELINE_CLASS_TO_MODULE" in lines[0], err
    assert git_status(fork) == ""
