"""`scaffold new-pipeline TASK --standalone` in a package made by `new-model --standalone`: the task
registers through `PIPELINE_REGISTRY.register_pipeline` when the package is imported, and the
generated tests pass on a tiny model of the package's own model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pipeline.helpers import run_cli, tree_state
from transformers_scaffold.cli import main
from transformers_scaffold.newpipeline import standalone

ARGS = ("new-pipeline", "text-scoring", "--standalone", "--model-class", "AutoModelForSequenceClassification", "--yes")


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pkg") / "acme"
    assert main(["new-model", "acme", "--standalone", "--output", str(root), "--yes", "--date", "2026-12-02"]) == 0
    return root


@pytest.fixture
def fresh(package: Path, tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copytree(package, tmp_path / "acme"))


def _env(root: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(root / "src"), "HF_HUB_OFFLINE": "1"}


RUN = """
import json
import acme  # registers the model and the task
from tokenizers import Tokenizer, models, pre_tokenizers
from transformers import AutoModelForSequenceClassification, PreTrainedTokenizerFast, pipeline
words = ["[PAD]", "[UNK]", "good", "bad", "words"]
backend = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="[UNK]"))
backend.pre_tokenizer = pre_tokenizers.Whitespace()
tok = PreTrainedTokenizerFast(tokenizer_object=backend, unk_token="[UNK]", pad_token="[PAD]")
config = acme.AcmeConfig(vocab_size=99, hidden_size=32, intermediate_size=37, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, pad_token_id=0)
pipe = pipeline("text-scoring", model=AutoModelForSequenceClassification.from_config(config), tokenizer=tok)
print(json.dumps({"cls": type(pipe).__module__, "single": pipe("good words"), "batched": pipe(["good", "bad words"], batch_size=2)}))
"""


def test_registers_through_the_pipeline_registry(fresh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, *ARGS, "--repo", str(fresh))
    assert code == 0, err
    init = (fresh / "src/acme/__init__.py").read_text()
    assert 'PIPELINE_REGISTRY.register_pipeline(\n    "text-scoring",' in init
    assert "from .pipeline_text_scoring import TextScoringPipeline" in init
    proc = subprocess.run([sys.executable, "-c", RUN], cwd=fresh, env=_env(fresh), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["cls"] == "acme.pipeline_text_scoring"
    assert set(out["single"][0]) == {"label", "score"} and len(out["batched"]) == 2


@pytest.mark.slow
def test_generated_pipeline_tests_pass(fresh: Path) -> None:
    assert main([*ARGS, "--repo", str(fresh), "--date", "2026-12-02"]) == 0
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_pipeline_text_scoring.py", "-q"],
        cwd=fresh,
        env=_env(fresh),
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "5 passed" in proc.stdout


@pytest.mark.parametrize(
    "args, needle",
    [
        (["text-classification"], "already a task of the installed transformers"),
        (["sentiment-analysis"], "alias"),
        (["Bad_Task"], "invalid task name"),
        (["text-scoring", "--model-class", "AutoModelForNothing"], "unknown auto class"),
        (["text-scoring", "--model-class", "AutoModelForImageClassification"], "registers no such model"),
    ],
)
def test_bad_input_is_refused(fresh: Path, capsys: pytest.CaptureFixture[str], args: list[str], needle: str) -> None:
    before = tree_state(fresh)
    code, _, err = run_cli(capsys, "new-pipeline", *args, "--standalone", "--yes", "--repo", str(fresh))
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1 and needle in lines[0], err
    assert tree_state(fresh) == before


def test_not_a_package_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, *ARGS, "--repo", str(tmp_path))
    assert code == 2 and "not a standalone package" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("stage", standalone.STAGES)
def test_fault_at_every_stage_leaves_the_package_identical(
    stage: str, fresh: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree_state(fresh)

    def fail_at(name: str) -> None:
        if name == stage:
            raise RuntimeError(stage)

    monkeypatch.setattr(standalone, "checkpoint", fail_at)
    with pytest.raises(RuntimeError):
        run_cli(capsys, *ARGS, "--repo", str(fresh))
    assert tree_state(fresh) == before


def _git_init(root: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t.invalid"}
    env.update(GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t.invalid")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "package"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


def _check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "transformers_scaffold", "check"], cwd=root, capture_output=True, text=True
    )


def test_checker_applies_the_package_rules(fresh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A generated package (with a pipeline) is clean; the model-file rules and SCF116 do run on it."""
    assert run_cli(capsys, *ARGS, "--repo", str(fresh))[0] == 0
    _git_init(fresh)
    clean = _check(fresh)
    assert clean.returncode == 0 and "All clear" in clean.stdout, clean.stdout + clean.stderr
    modeling = fresh / "src/acme/modeling_acme.py"
    modeling.write_text(
        # An absent flag (an explicit `= False` is a decision SCF201 respects, issue 10).
        modeling.read_text().replace("    supports_gradient_checkpointing = True\n", "")
    )
    init = fresh / "src/acme/__init__.py"
    init.write_text(
        init.read_text()
        .replace("AcmeConfig.register_for_auto_class()\n", "")
        .replace('AutoConfig.register("acme", AcmeConfig)\n', "")
    )
    broken = _check(fresh)
    assert broken.returncode == 1, broken.stdout
    assert "SCF201" in broken.stdout and "src/acme/modeling_acme.py" in broken.stdout  # a fork model rule
    assert "SCF116" in broken.stdout and "AcmeConfig.register_for_auto_class() is missing" in broken.stdout
    assert 'AcmeConfig is not registered: no AutoConfig.register("acme", AcmeConfig)' in broken.stdout
