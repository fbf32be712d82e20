"""Small promises of the CLI and reporters: typo help, shell-safe hints, rule links, no leaked handles."""

from __future__ import annotations

import gc
import json
import shlex
import warnings
from pathlib import Path

import pytest

from tests.conftest import clone_fork
from transformers_scaffold import PROJECT_URL, __version__
from transformers_scaffold.cli import main

REPO = Path(__file__).resolve().parents[1]


def test_a_mistyped_command_suggests_the_right_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chek"]) == 2
    err = capsys.readouterr().err.strip()
    assert "did you mean `scaffold check`?" in err and "chek --help" not in err and "\n" not in err
    assert main(["check", "--no-such-flag"]) == 2
    assert "(see `scaffold check --help`)" in capsys.readouterr().err


def test_next_line_is_shell_quoted(sdist_fork: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fork = clone_fork(sdist_fork, tmp_path / "my fork's tree")
    code = main(["new-model", "acme", "--yes", "--repo", str(fork), "--date", "2026-12-02"])
    out, err = capsys.readouterr()
    assert code == 0, err
    line = next(x for x in out.splitlines() if x.startswith("Next: "))
    words = shlex.split(line.removeprefix("Next: "))
    assert words[:2] == ["cd", str(fork.resolve())]


def test_sarif_rules_link_this_projects_rule_docs() -> None:
    from checks import RULES
    from transformers_scaffold.checker.reporters import render_sarif

    document = json.loads(render_sarif([], RULES, 0))
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert rules
    for rule in rules:
        assert rule["helpUri"] == f"{PROJECT_URL}/blob/v{__version__}/docs/checks/{rule['id']}.md"
        assert (REPO / "docs/checks" / f"{rule['id']}.md").is_file()


def test_large_file_rule_closes_what_it_opens(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for i in range(20):
        (tmp_path / f"data{i}.bin").write_bytes(b"\0" * 10)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        main(["check", str(tmp_path), "--repo", str(tmp_path), "--select", "SCF311", "--no-cache"])
        gc.collect()
    capsys.readouterr()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]
