"""`--changed` scoping of multi-line findings: a diff below an untouched line still counts."""

from __future__ import annotations

from pathlib import Path

from tests.checker.fixtures import git
from transformers_scaffold.checker.runner import CheckOptions, run_check

MODELING = "src/transformers/models/acme/modeling_acme.py"
BEFORE = """from torch import nn

from ...modeling_utils import PreTrainedModel


class AcmePreTrainedModel(PreTrainedModel):
    base_model_prefix = "model"


class AcmeModel(AcmePreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        self.embed = nn.Embedding(10, 4)
        self.post_init()
"""


def _repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / MODELING).parent.mkdir(parents=True)
    (root / MODELING).write_text(BEFORE)
    (root / MODELING).with_name("__init__.py").write_text("")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def test_statement_added_after_untouched_post_init_is_reported(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    (root / MODELING).write_text(BEFORE + "        self.head = nn.Linear(4, 4)\n")
    report = run_check(CheckOptions(root=root, changed=True, select=("SCF205",), use_cache=False, jobs=1))
    found = [(f.line, f.end_line) for f in report.findings]
    assert found == [(14, 15)], found


def test_unrelated_change_elsewhere_in_the_file_stays_quiet(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    (root / MODELING).write_text(
        BEFORE.replace("        self.post_init()\n", "        self.post_init()\n        self.head = nn.Linear(4, 4)\n")
    )
    git(root, "commit", "-qam", "debt")
    (root / MODELING).write_text(
        (root / MODELING).read_text().replace('base_model_prefix = "model"', 'base_model_prefix = "model"  # note')
    )
    report = run_check(CheckOptions(root=root, changed=True, select=("SCF205",), use_cache=False, jobs=1))
    assert report.findings == []
