"""SCF115 on the two shapes of `pipelines/__init__.py`: 5.24's lazy table (the rule fixture covers
it) and older forks that import every pipeline eagerly and put classes in `impl` (a 5.16 tree)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EAGER_INIT = """\
from typing import TYPE_CHECKING

from .base import Pipeline
from .fill_mask import FillMaskPipeline

SUPPORTED_TASKS = {
    "fill-mask": {"impl": FillMaskPipeline, "pt": (), "type": "text"},
}
"""
TOP_INIT = '_import_structure = {\n    "pipelines": [\n        "FillMaskPipeline",\n    ],\n}\n'
ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@t.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@t.invalid",
}


def _repo(root: Path, init: str) -> Path:
    files = {
        "src/transformers/__init__.py": TOP_INIT,
        "src/transformers/pipelines/__init__.py": init,
        "src/transformers/pipelines/base.py": "class Pipeline:\n    pass\n",
        "src/transformers/pipelines/fill_mask.py": "from .base import Pipeline\n\n\nclass FillMaskPipeline(Pipeline):\n    pass\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "fork"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env={**os.environ, **ENV})
    return root


def _check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "transformers_scaffold", "check", "--select", "SCF115"],
        cwd=root,
        capture_output=True,
        text=True,
    )


def test_an_eager_fork_is_checked_in_its_own_shape(tmp_path: Path) -> None:
    clean = _check(_repo(tmp_path / "ok", EAGER_INIT))
    assert clean.returncode == 0 and "All clear" in clean.stdout, clean.stdout
    broken = _check(_repo(tmp_path / "broken", EAGER_INIT.replace("from .fill_mask import FillMaskPipeline\n", "")))
    assert broken.returncode == 1
    assert "FillMaskPipeline is not registered" in broken.stdout
    assert "`from .fill_mask import FillMaskPipeline`" in broken.stdout


@pytest.mark.skipif(not os.environ.get("SCAFFOLD_REAL_FORK"), reason="SCAFFOLD_REAL_FORK is not set")
def test_a_real_fork_has_no_findings() -> None:
    proc = _check(Path(os.environ["SCAFFOLD_REAL_FORK"]))
    assert proc.returncode == 0, proc.stdout[-2000:]
