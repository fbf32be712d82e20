"""Acceptance of `scaffold new-model`: the generated suites pass on Transformers' own mixins, the
generated code is ruff-clean under the fork's settings, and the model works through the Auto API.

Each case scaffolds once (module-scoped fork) and runs the fork's pytest in a subprocess.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import clone_fork
from transformers_scaffold.cli import main
from transformers_scaffold.fork import Fork

CASES = {
    "decoder": (["--template", "decoder"], 100),
    "encoder": (["--template", "encoder"], 100),
    "like-llama": (["--like", "llama"], 100),
    "like-mistral": (["--like", "mistral"], 100),
    "like-bert": (["--like", "bert"], 100),
    "like-xlm-roberta": (["--like", "xlm-roberta"], 100),
}


def _summary(output: str) -> dict[str, int]:
    last = [line for line in output.splitlines() if re.search(r"\d+ (passed|failed|error)", line)]
    counts = {"passed": 0, "failed": 0, "error": 0, "skipped": 0}
    for number, word in re.findall(r"(\d+) (passed|failed|errors?|skipped)", last[-1] if last else ""):
        counts[word.rstrip("s") if word.startswith("error") else word] = int(number)
    return counts


@pytest.fixture(scope="module", params=list(CASES))
def scaffolded(request: pytest.FixtureRequest, sdist_fork: Path, tmp_path_factory: pytest.TempPathFactory):
    args, minimum = CASES[request.param]
    fork = clone_fork(sdist_fork, tmp_path_factory.mktemp(request.param) / "fork")
    code = main(["new-model", "acme", "--yes", "--repo", str(fork), "--date", "2026-11-27", *args])
    assert code == 0
    return request.param, fork, minimum


@pytest.mark.slow
def test_generated_suite_passes(scaffolded: tuple[str, Path, int]) -> None:
    case, fork, minimum = scaffolded
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/models/acme", "-q", "-p", "no:cacheprovider", "-x", "-n", "2"],
        cwd=fork,
        capture_output=True,
        text=True,
    )
    counts = _summary(proc.stdout)
    assert counts["failed"] == 0 and counts["error"] == 0, proc.stdout[-4000:]
    assert counts["passed"] >= minimum, (counts, proc.stdout[-2000:])
    assert proc.returncode == 0, proc.stdout[-2000:]


def test_generated_code_is_ruff_clean_under_the_fork_settings(scaffolded: tuple[str, Path, int]) -> None:
    _, fork, _ = scaffolded
    changed = subprocess.run(
        ["git", "ls-files", "--others", "--modified", "--exclude-standard", "*.py"],
        cwd=fork,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert any(path.endswith("modeling_acme.py") for path in changed), changed
    from ruff.__main__ import find_ruff_bin

    ruff = str(find_ruff_bin())
    for args in (["check", "--no-cache"], ["format", "--check", "--no-cache"]):
        proc = subprocess.run([ruff, *args, *changed], cwd=fork, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_registered_everywhere(scaffolded: tuple[str, Path, int]) -> None:
    _, fork, _ = scaffolded
    repo = Fork(fork)
    assert repo.facts.config_mapping["acme"] == "AcmeConfig"
    assert "from .acme import *" in (repo.read("src/transformers/models/__init__.py") or "")
    doc = repo.read("docs/source/en/model_doc/acme.md") or ""
    assert "added to Hugging Face Transformers on 2026-11-27" in doc
    assert "[[autodoc]] AcmeConfig" in doc
    assert "model_doc/acme" in (repo.read("docs/source/en/_toctree.yml") or "")
    assert (fork / ".copier-answers/acme.yml").is_file()


RUNTIME = {
    "decoder": """
        import tempfile, torch
        from transformers import AcmeConfig, AcmeForCausalLM, AutoModelForCausalLM
        config = AcmeConfig(vocab_size=99, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                            num_key_value_heads=2, intermediate_size=37)
        model = AutoModelForCausalLM.from_config(config).eval()
        assert type(model) is AcmeForCausalLM
        ids = torch.randint(3, 99, (2, 7))
        with tempfile.TemporaryDirectory() as d:
            model.save_pretrained(d)
            again = AutoModelForCausalLM.from_pretrained(d).eval()
        with torch.no_grad():
            torch.testing.assert_close(model(ids).logits, again(ids).logits)
        out = model.generate(ids, max_new_tokens=5, do_sample=False)
        assert out.shape == (2, 12), out.shape
        print("ok")
    """,
    "encoder": """
        import tempfile, torch
        from transformers import AcmeConfig, AutoModelForMaskedLM, AutoModelForSequenceClassification
        config = AcmeConfig(vocab_size=99, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                            intermediate_size=37, num_labels=3)
        mlm = AutoModelForMaskedLM.from_config(config).eval()
        cls = AutoModelForSequenceClassification.from_config(config).eval()
        ids = torch.randint(3, 99, (2, 7))
        with tempfile.TemporaryDirectory() as d:
            mlm.save_pretrained(d)
            again = AutoModelForMaskedLM.from_pretrained(d).eval()
        with torch.no_grad():
            torch.testing.assert_close(mlm(ids).logits, again(ids).logits)
            assert cls(ids).logits.shape == (2, 3)
        print("ok")
    """,
}


def test_runtime_through_the_auto_api(scaffolded: tuple[str, Path, int]) -> None:
    case, fork, _ = scaffolded
    # --like models are exercised like the template they resemble.
    runtime = RUNTIME["decoder" if case in ("decoder", "like-llama", "like-mistral") else "encoder"]
    code = "import conftest\n" + textwrap.dedent(runtime)
    proc = subprocess.run([sys.executable, "-c", code], cwd=fork, capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.strip().endswith("ok"), proc.stderr[-3000:]


def test_freshly_scaffolded_model_has_no_checker_findings(scaffolded: tuple[str, Path, int]) -> None:
    """Issue 4's acceptance: what the generator writes passes every static rule of `scaffold check`."""
    import json

    _, fork, _ = scaffolded
    proc = subprocess.run(
        [sys.executable, "-m", "transformers_scaffold", "check", "--changed", "--no-cache", "--format", "json"],
        cwd=fork,
        capture_output=True,
        text=True,
    )
    report = json.loads(proc.stdout)
    assert report["findings"] == [] and proc.returncode == 0, report["findings"][:10]
    checked = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"], cwd=fork, capture_output=True, text=True
    )
    assert "modeling_acme.py" in checked.stdout  # the new model really was among the changed files
