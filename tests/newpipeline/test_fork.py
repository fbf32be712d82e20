"""Acceptance of `scaffold new-pipeline` in the sdist fork: the pipeline runs on a tiny scaffolded
model saved to a directory, its generated tests pass, the checker reports nothing, `--dry-run`
is the real run's diff, and a fault at any stage leaves the fork byte-identical."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import clone_fork
from tests.pipeline.helpers import git_status, run_cli, tree_state
from transformers_scaffold.cli import main
from transformers_scaffold.newpipeline import fork_plan

ARGS = ("new-pipeline", "text-scoring", "--model-class", "AutoModelForSequenceClassification", "--yes")


@pytest.fixture(scope="module")
def scaffolded(sdist_fork: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    fork = clone_fork(sdist_fork, tmp_path_factory.mktemp("pipeline") / "fork")
    assert (
        main(["new-model", "acme", "--yes", "--template", "encoder", "--repo", str(fork), "--date", "2026-12-01"]) == 0
    )
    subprocess.run(["git", "add", "-A"], cwd=fork, check=True)
    subprocess.run(["git", "commit", "-qm", "acme"], cwd=fork, check=True)
    assert main([*ARGS, "--repo", str(fork), "--date", "2026-12-02"]) == 0
    return fork


RUN_ON_SAVED_MODEL = """
import json, sys, tempfile
sys.path.insert(0, "src")
import transformers
from tokenizers import Tokenizer, models, pre_tokenizers
from transformers import AcmeConfig, AutoModelForSequenceClassification, PreTrainedTokenizerFast, pipeline

words = ["[PAD]", "[UNK]", *"a tiny model scores these words well or badly".split()]
backend = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="[UNK]"))
backend.pre_tokenizer = pre_tokenizers.Whitespace()
tokenizer = PreTrainedTokenizerFast(tokenizer_object=backend, unk_token="[UNK]", pad_token="[PAD]")
config = AcmeConfig(vocab_size=99, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                    intermediate_size=37, num_labels=2, pad_token_id=0)
model = AutoModelForSequenceClassification.from_config(config)
with tempfile.TemporaryDirectory() as tmp:
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    pipe = pipeline("text-scoring", model=tmp)
    single = pipe("a tiny model scores words")
    batched = pipe(["a tiny model", "scores these words well or badly"], batch_size=2)
    print(json.dumps({"file": transformers.__file__, "cls": type(pipe).__name__, "model": type(pipe.model).__name__,
                      "single": single, "batched": batched}))
"""


def test_pipeline_runs_on_a_saved_tiny_scaffolded_model(scaffolded: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", RUN_ON_SAVED_MODEL], cwd=scaffolded, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["file"].startswith(str(scaffolded)), out["file"]  # the fork's transformers, not the installed one
    assert (out["cls"], out["model"]) == ("TextScoringPipeline", "AcmeForSequenceClassification")
    assert len(out["single"]) == 1 and set(out["single"][0]) == {"label", "score"}
    assert out["single"][0]["label"] in {"LABEL_0", "LABEL_1"}
    assert len(out["batched"]) == 2 and all(len(r) == 1 for r in out["batched"])


@pytest.mark.slow
def test_generated_pipeline_tests_pass(scaffolded: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/pipelines/test_pipelines_text_scoring.py",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=scaffolded,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "5 passed" in proc.stdout, proc.stdout[-1500:]


def test_checker_reports_nothing_on_the_changes(scaffolded: Path) -> None:
    subprocess.run(["git", "add", "-A"], cwd=scaffolded, check=True)
    proc = subprocess.run(
        [sys.executable, "-m", "transformers_scaffold", "check", "--changed"],
        cwd=scaffolded,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "All clear" in proc.stdout, proc.stdout


def test_every_registration_is_in_place(scaffolded: Path) -> None:
    pipelines = (scaffolded / "src/transformers/pipelines/__init__.py").read_text()
    top = (scaffolded / "src/transformers/__init__.py").read_text()
    assert '"TextScoringPipeline": "transformers.pipelines.text_scoring"' in pipelines
    assert "    from .text_scoring import TextScoringPipeline\n" in pipelines
    assert '"impl": "transformers.pipelines.text_scoring.TextScoringPipeline"' in pipelines
    assert 'Literal["text-scoring"]' in pipelines
    assert '        "TextScoringPipeline",\n' in top
    assert "from .pipelines import TextScoringPipeline as TextScoringPipeline" in top
    toc = (scaffolded / "docs/source/en/_toctree.yml").read_text()
    assert "local: tasks/text_scoring" in toc
    page = (scaffolded / "docs/source/en/tasks/text_scoring.md").read_text()
    assert "[[autodoc]] TextScoringPipeline" in page


def test_dry_run_diff_applies_to_the_same_tree(fork: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    twin = clone_fork(fork, tmp_path / "twin")
    code, diff, err = run_cli(capsys, *ARGS, "--repo", str(fork), "--dry-run", "--date", "2026-12-02")
    assert code == 0, err
    assert git_status(fork) == ""  # nothing written
    patch = tmp_path / "plan.diff"
    patch.write_text(diff)
    subprocess.run(["git", "apply", str(patch)], cwd=fork, check=True)
    assert main([*ARGS, "--repo", str(twin), "--date", "2026-12-02"]) == 0
    mine, theirs = tree_state(fork), tree_state(twin)
    assert mine == theirs


class Boom(RuntimeError):
    pass


@pytest.mark.parametrize("stage", fork_plan.STAGES)
def test_fault_at_every_stage_leaves_the_fork_identical(
    stage: str, fork: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree_state(fork)

    def fail_at(name: str) -> None:
        if name == stage:
            raise Boom(stage)

    monkeypatch.setattr(fork_plan, "checkpoint", fail_at)
    with pytest.raises(Boom):
        run_cli(capsys, *ARGS, "--repo", str(fork))
    assert tree_state(fork) == before
    assert git_status(fork) == ""


def test_prompts_fill_what_flags_leave_open(fork: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal without --yes, the type, auto class and default model are asked for."""
    script = textwrap.dedent(
        f"""
        import sys
        sys.stdin.isatty = lambda: True
        sys.stdout.isatty = lambda: True
        from transformers_scaffold.cli import main
        raise SystemExit(main(["new-pipeline", "token-scoring", "--repo", {str(fork)!r}]))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        input="text\nAutoModelForTokenClassification\nacme-org/token-scorer@v1\n",
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    pipelines = (fork / "src/transformers/pipelines/__init__.py").read_text()
    assert '"pt": (AutoModelForTokenClassification,) if is_torch_available() else ()' in pipelines
    assert '"default": {"model": ("acme-org/token-scorer", "v1")}' in pipelines
