"""The fork's own conventions and the upstream-PR profile, checked by the fork's own scripts on a real fork.

`SCAFFOLD_REAL_FORK` names a clean Transformers git checkout (5.16+; skipped when unset), and
`SCAFFOLD_REAL_FORK_PYTHON` an interpreter that imports it (torch, pytest, parameterized, accelerate,
datasets, pytest-xdist; the scaffold's own dependencies). Each test scaffolds into a local clone on a
branch off `main` (as a contributor's PR branch is: `utils/add_dates.py` diffs against `main`), with
this checkout's `transformers_scaffold` on the path, then runs the fork's scripts as subprocesses:
`utils/check_config_attributes.py`, `utils/add_dates.py --check-only`, `utils/check_modular_conversion.py`
and the generated test suites.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import transformers_scaffold
from transformers_scaffold.facts import ForkFacts
from transformers_scaffold.ruffbin import ruff_binary

REAL_FORK = os.environ.get("SCAFFOLD_REAL_FORK")
pytestmark = [pytest.mark.realfork, pytest.mark.skipif(not REAL_FORK, reason="SCAFFOLD_REAL_FORK is not set")]
SCAFFOLD_SRC = Path(transformers_scaffold.__file__).resolve().parents[1]
DOC_PAGE = "docs/source/en/model_doc/acme.md"


def _python() -> str:
    return os.environ.get("SCAFFOLD_REAL_FORK_PYTHON") or sys.executable


def _env(clone: Path) -> dict[str, str]:
    """The clone's src/ first (an installed transformers must not win), then this checkout's scaffold;
    the interpreter's and ruff's folders first on PATH (the fork's scripts shell out to `ruff`)."""
    ruff = ruff_binary()
    path = [str(Path(_python()).parent), str(Path(ruff).parent) if ruff else "", os.environ.get("PATH", "")]
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(clone / "src"), str(SCAFFOLD_SRC)]),
        "PATH": os.pathsep.join(p for p in path if p),
    }


def _git(clone: Path, *args: str) -> str:
    ident = ["-c", "user.email=scaffold@example.com", "-c", "user.name=scaffold"]
    return subprocess.run(["git", *ident, *args], cwd=clone, check=True, capture_output=True, text=True).stdout


def _clone(real_fork: Path, dest: Path) -> Path:
    subprocess.run(["git", "clone", "-q", "--local", str(real_fork), str(dest)], check=True)
    if not _git(dest, "branch", "--list", "main").strip():
        _git(dest, "branch", "main", "HEAD")  # the fork point add_dates.py diffs against
    _git(dest, "checkout", "-q", "-B", "add-acme")
    return dest


def _scaffold(clone: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [_python(), "-m", "transformers_scaffold", "new-model", "acme", *args, "--repo", str(clone), "--yes"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=_env(clone))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def _fork_script(clone: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_python(), *args], cwd=clone, capture_output=True, text=True, env=_env(clone), timeout=timeout
    )


def _commit(clone: Path, message: str) -> None:
    _git(clone, "add", "-A")
    _git(clone, "commit", "-qm", message)


@pytest.fixture(scope="module")
def phi3(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`--like phi3` scaffolded and committed on a PR branch of a clone of the real fork."""
    clone = _clone(Path(REAL_FORK or "").resolve(), tmp_path_factory.mktemp("phi3") / "transformers")
    _scaffold(clone, "--like", "phi3")
    _commit(clone, "Add Acme (like Phi-3)")
    return clone


def test_like_phi3_passes_the_forks_config_attribute_check(phi3: Path) -> None:
    # The fork allowlists an attribute of Phi3Config that its modeling file never reads; the copy reads
    # exactly what Phi-3 reads, so its config needs the same entry.
    proc = _fork_script(phi3, "utils/check_config_attributes.py")
    assert proc.returncode == 0, proc.stderr[-2000:]
    facts = ForkFacts(Path(REAL_FORK or "").resolve())
    assert facts.config_attribute_allowlist.for_class("Phi3Config")
    assert ForkFacts(phi3).config_attribute_allowlist.for_class("AcmeConfig") == (
        facts.config_attribute_allowlist.for_class("Phi3Config")
    )


def test_the_doc_page_passes_the_forks_add_dates_check(phi3: Path) -> None:
    proc = _fork_script(phi3, "utils/add_dates.py", "--check-only")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert ForkFacts(phi3).date_line.matches((phi3 / DOC_PAGE).read_text(encoding="utf-8"))


def test_the_add_dates_check_does_look_at_the_new_page(phi3: Path, tmp_path: Path) -> None:
    """The control: the same page in 5.24's wording fails the fork's check, naming the page."""
    clone = _clone(phi3, tmp_path / "transformers")
    page = clone / DOC_PAGE
    text = page.read_text(encoding="utf-8")
    old = re.sub(
        r"\*This model was .* Hugging Face Transformers on (\d{4}-\d{2}-\d{2})\.\*",
        r"*This model was released on {release_date} and added to Hugging Face Transformers on \1.*",
        text,
        count=1,
    )
    assert old != text
    page.write_text(old, encoding="utf-8")
    _commit(clone, "5.24's date line")
    _git(clone, "branch", "-f", "main", "origin/main")  # the fork point is the real fork, not the phi3 branch
    proc = _fork_script(clone, "utils/add_dates.py", "--check-only")
    assert proc.returncode != 0 and "acme.md" in proc.stderr, proc.stderr[-2000:]


def test_the_modular_output_matches_the_forks_converter(phi3: Path) -> None:
    modular = "src/transformers/models/acme/modular_acme.py"
    assert (phi3 / modular).is_file()
    proc = _fork_script(phi3, "utils/check_modular_conversion.py", "--files", modular)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-2000:]


def test_the_upstream_profile_keeps_the_sources_upstream_tests(tmp_path: Path) -> None:
    clone = _clone(Path(REAL_FORK or "").resolve(), tmp_path / "transformers")
    _scaffold(clone, "--like", "llama", "--profile", "upstream")
    assert not (clone / "examples/acme").exists() and not (clone / ".copier-answers").exists()
    assert not (clone / "tests/models/acme/test_efficiency_acme.py").exists()
    tests = (clone / "tests/models/acme/test_modeling_acme.py").read_text(encoding="utf-8")
    assert "class AcmeModelTester(CausalLMModelTester):" in tests  # the source's tests: upstream's helpers


def _suite(clone: Path, timeout: int) -> str:
    proc = _fork_script(
        clone, "-m", "pytest", "tests/models/acme", "-q", "-p", "no:cacheprovider", "-n", "2", timeout=timeout
    )
    out = proc.stdout.strip().splitlines()
    summary = out[-1] if out else proc.stderr[-2000:]
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert re.search(r"\d+ passed", summary) and not re.search(r"failed|error", summary), summary
    return summary


@pytest.mark.slow
def test_upstream_profile_tests_on_the_forks_helpers_pass(tmp_path: Path) -> None:
    """A source the fork has no tests of (here: the fork's llama tests removed) gets tests written on
    `CausalLMModelTester` / `CausalLMModelTest`, and they pass."""
    clone = _clone(Path(REAL_FORK or "").resolve(), tmp_path / "transformers")
    _git(clone, "rm", "-rq", "tests/models/llama")
    _commit(clone, "a fork without llama's tests")
    _scaffold(clone, "--like", "llama", "--profile", "upstream")
    tests = (clone / "tests/models/acme/test_modeling_acme.py").read_text(encoding="utf-8")
    assert "from ...causal_lm_tester import CausalLMModelTest, CausalLMModelTester" in tests
    assert "class AcmeModelTest(CausalLMModelTest, unittest.TestCase):" in tests
    assert not (clone / "tests/models/acme/test_efficiency_acme.py").exists()
    _suite(clone, timeout=3600)


@pytest.mark.slow
def test_like_mixtral_generated_tests_pass(tmp_path: Path) -> None:
    clone = _clone(Path(REAL_FORK or "").resolve(), tmp_path / "transformers")
    _scaffold(clone, "--like", "mixtral")
    assert (clone / "tests/models/acme/test_efficiency_acme.py").is_file()
    _suite(clone, timeout=3600)
