"""`--like` on a full upstream checkout (modular converter, real tests, real GenerationTesterMixin).

Set `SCAFFOLD_REAL_FORK` to a clean Transformers git checkout (5.16+) and, when the current
environment cannot import that fork (it pins other dependency versions), `SCAFFOLD_REAL_FORK_PYTHON`
to an interpreter that can and has transformers-scaffold installed. See docs/like.md.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from transformers_scaffold.facts import ForkFacts
from transformers_scaffold.like import plan_like
from transformers_scaffold.like.rename import Casings, Renamer, leftovers
from transformers_scaffold.names import resolve_names

REAL_FORK = os.environ.get("SCAFFOLD_REAL_FORK")
pytestmark = [
    pytest.mark.realfork,
    pytest.mark.skipif(not REAL_FORK, reason="SCAFFOLD_REAL_FORK is not set"),
]


@pytest.fixture(scope="module")
def real_fork() -> Path:
    return Path(REAL_FORK or "").resolve()


@pytest.fixture
def real_clone(real_fork: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "transformers"
    subprocess.run(["git", "clone", "-q", "--local", str(real_fork), str(dest)], check=True)
    return dest


def _python() -> str:
    return os.environ.get("SCAFFOLD_REAL_FORK_PYTHON") or sys.executable


def test_plan_on_the_real_fork_is_modular_with_copied_tests(real_fork: Path) -> None:
    plan = plan_like(ForkFacts(real_fork), "llama", resolve_names("acme"), None)
    assert plan.modular and not plan.render_tests
    tests = plan.files["tests/models/acme/test_modeling_acme.py"]
    compile(tests, "test_modeling_acme.py", "exec", dont_inherit=True)
    assert "class AcmeModelTest(" in tests
    checker = Renamer(Casings("llama", "llama", "Llama", "LLAMA"), Casings("acme", "acme", "Acme", "ACME"))
    assert set(leftovers(checker, tests)) <= {"LlamaTokenizer", "LlamaTokenizerFast"}
    assert not any(path.startswith("tests/models/acme/test_tokenization") for path in plan.files)


@pytest.mark.slow
@pytest.mark.parametrize("source", ["llama", "bert"])
def test_like_passes_upstreams_own_tests(real_clone: Path, source: str) -> None:
    python = _python()
    # The clone's src/ first: an editable install of the original checkout would otherwise win.
    env = {**os.environ, "PYTHONPATH": str(real_clone / "src")}
    new = subprocess.run(
        [
            python,
            "-m",
            "transformers_scaffold",
            "new-model",
            "acme",
            "--like",
            "llama",
            "--repo",
            str(real_clone),
            "--yes",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert new.returncode == 0, new.stderr[-3000:]
    modeling = real_clone / "src/transformers/models/acme/modeling_acme.py"
    assert modeling.is_file() and "generated from src/transformers/models/acme/modular_acme.py" in modeling.read_text()
    run = subprocess.run(
        [python, "-m", "pytest", "tests/models/acme/test_modeling_acme.py", "-n", "2", "-q", "-p", "no:cacheprovider"],
        cwd=real_clone,
        capture_output=True,
        text=True,
        env=env,
    )
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-2000:]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert re.search(r"\d+ passed", summary) and "failed" not in summary, summary
