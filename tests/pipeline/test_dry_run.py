"""--dry-run writes nothing, and `git apply` of its diff gives the same tree as the real run."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import clone_fork
from tests.pipeline.helpers import git_status, run_cli, tree_state


@pytest.mark.parametrize("args", [["--template", "decoder"], ["--template", "encoder"], ["--like", "llama"]])
def test_dry_run_diff_applies_to_the_real_result(
    args: list[str], sdist_fork: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dry, real = clone_fork(sdist_fork, tmp_path / "dry"), clone_fork(sdist_fork, tmp_path / "real")
    before = tree_state(dry)
    common = ["new-model", "my-model", "--yes", "--date", "2026-11-27", *args]
    code, diff, err = run_cli(capsys, *common, "--repo", str(dry), "--dry-run")
    assert code == 0, err
    assert tree_state(dry) == before and git_status(dry) == ""
    assert "diff --git a/src/transformers/models/auto/modeling_auto.py" in diff
    code, _, err = run_cli(capsys, *common, "--repo", str(real))
    assert code == 0, err
    # --whitespace=error: no trailing blanks or blank lines at EOF in anything generated (git would warn).
    subprocess.run(["git", "apply", "--whitespace=error", "-"], input=diff, text=True, cwd=dry, check=True)
    assert tree_state(dry) == tree_state(real)


def test_same_command_twice_is_refused(fork: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["new-model", "acme", "--yes", "--template", "decoder", "--repo", str(fork)]
    code, _, err = run_cli(capsys, *args)
    assert code == 0, err
    after_first = tree_state(fork)
    code, _, err = run_cli(capsys, *args)
    assert code == 2 and "already exists" in err and len(err.strip().splitlines()) == 1
    assert tree_state(fork) == after_first


def test_the_upstream_profile_leaves_out_what_upstream_does_not_take(
    fork: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("new-model", "acme", "--yes", "--template", "decoder", "--dry-run", "--repo", str(fork))
    code, full, err = run_cli(capsys, *args)
    assert code == 0, err
    code, upstream, err = run_cli(capsys, *args, "--profile", "upstream")
    assert code == 0, err
    for omitted in ("b/examples/acme/", "b/.copier-answers/", "b/tests/models/acme/test_efficiency_acme.py"):
        assert omitted in full and omitted not in upstream, omitted
    for kept in ("b/src/transformers/models/acme/modeling_acme.py", "b/tests/models/acme/test_modeling_acme.py"):
        assert kept in upstream
    code, _, err = run_cli(capsys, *args, "--profile", "nightly")
    assert code == 2 and "--profile" in err and len(err.strip().splitlines()) == 1
