"""`--like` beyond Llama and BERT: all-caps prefixes, sibling modules, family-aware tiny configs, verify by import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import clone_fork
from tests.pipeline.helpers import git_status, run_cli, tree_state
from transformers_scaffold.facts import ForkFacts
from transformers_scaffold.like import plan_like
from transformers_scaffold.like.rename import Casings, Renamer
from transformers_scaffold.like.tiny_dynamic import dynamic_tiny
from transformers_scaffold.names import resolve_names


@pytest.mark.parametrize(("camel", "module"), [("GPT2", "gpt2"), ("T5", "t5")])
def test_all_caps_source_prefixes_give_camel_classes_and_upper_constants(camel: str, module: str) -> None:
    renamer = Renamer(
        old=Casings(module, module, camel, module.upper()), new=Casings("hid14", "hid14", "Hid14", "HID14")
    )
    assert renamer.identifier(f"{camel}Config") == "Hid14Config"
    assert renamer.identifier(f"{camel}LMHeadModel") == "Hid14LMHeadModel"
    assert renamer.identifier(f"{camel}_START_DOCSTRING") == "HID14_START_DOCSTRING"
    assert renamer.identifier(f"load_tf_weights_in_{module}") == "load_tf_weights_in_hid14"
    assert renamer.text(f"The {camel} model") == "The Hid14 model"


@pytest.mark.slow
def test_whisper_copies_its_generation_module_and_keeps_foreign_names(sdist_fork: Path) -> None:
    plan = plan_like(ForkFacts(sdist_fork), "whisper", resolve_names("acme"), None)
    base = "src/transformers/models/acme"
    assert f"{base}/generation_acme.py" in plan.files
    modeling = plan.files[f"{base}/modeling_acme.py"]
    assert "from .generation_acme import AcmeGenerationMixin" in modeling
    # Classes of other modules keep their names, even when they spell the source's.
    generation = plan.files[f"{base}/generation_acme.py"]
    assert "WhisperNoSpeechDetection" in generation and "AcmeNoSpeechDetection" not in generation
    # The reused tokenizer is imported from the source package, not from a copy that does not exist.
    assert "from .tokenization_" not in modeling and "from .tokenization_" not in generation


def _tiny(sdist_fork: Path, source: str) -> dict:
    tiny, why = dynamic_tiny(sdist_fork, source, sys.executable)
    assert tiny is not None, why
    return tiny


@pytest.mark.slow
def test_tiny_configs_follow_the_family(sdist_fork: Path) -> None:
    mixtral = _tiny(sdist_fork, "mixtral")  # MoE: grouped_mm wants 16-byte aligned expert strides
    assert mixtral["intermediate_size"] * 4 % 16 == 0 and mixtral["num_local_experts"] <= 4
    llava = _tiny(sdist_fork, "llava")  # composite: every sub-config shrunk, image tokens inside the vocabulary
    assert llava["vision_config"]["hidden_size"] == 32 and llava["text_config"]["hidden_size"] == 32
    assert llava["vision_config"]["num_hidden_layers"] == 2 and llava["text_config"]["num_hidden_layers"] == 2
    assert llava["image_token_index"] < llava["text_config"]["vocab_size"]
    whisper = _tiny(sdist_fork, "whisper")  # encoder-decoder spellings of the sizes
    assert whisper["d_model"] % whisper["encoder_attention_heads"] == 0
    assert whisper["encoder_layers"] == whisper["decoder_layers"] == 2
    t5 = _tiny(sdist_fork, "t5")  # seq2seq: a decoder start token
    assert t5["decoder_start_token_id"] is not None and t5["num_heads"] == 4
    assert mixtral["head_dim"] == 32 // 4  # computed (None) in the source: the RoPE helpers need a number
    gemma3 = _tiny(sdist_fork, "gemma3_text")  # 5 sliding : 1 full in the source, one of each when tiny
    assert (
        sorted(gemma3["layer_types"]) == ["full_attention", "sliding_attention"] and gemma3["num_hidden_layers"] == 2
    )
    convnext = _tiny(sdist_fork, "convnext")  # per-stage sizes as lists (its backbone adds them to a list)
    assert isinstance(convnext["hidden_sizes"], list) and convnext["depths"] == [2, 2, 2, 2]


_IMPORT_CHECK = """
import json, sys
from transformers import AutoConfig, AutoModel, AutoModelForSpeechSeq2Seq
config = AutoConfig.for_model("acme", **json.loads(sys.argv[1]))
print(type(config).__name__, type(AutoModel.from_config(config)).__name__,
      type(AutoModelForSpeechSeq2Seq.from_config(config)).__name__)
"""


@pytest.mark.slow
def test_like_whisper_imports_and_resolves_in_a_fresh_process(
    sdist_fork: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fork = clone_fork(sdist_fork, tmp_path / "fork")
    code, out, err = run_cli(capsys, "new-model", "acme", "--like", "whisper", "--yes", "--repo", str(fork))
    assert code == 0, err
    tiny = _tiny(sdist_fork, "whisper")
    proc = subprocess.run(
        [sys.executable, "-c", _IMPORT_CHECK, json.dumps(tiny)],
        env={"PYTHONPATH": str(fork / "src"), "PYTHONDONTWRITEBYTECODE": "1", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["AcmeConfig", "AcmeModel", "AcmeForConditionalGeneration"]


@pytest.mark.slow
def test_a_copy_that_does_not_import_is_refused_before_writing(
    sdist_fork: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The verify stage imports the planned package: a sibling module that is missing fails it, nothing written."""
    fork = clone_fork(sdist_fork, tmp_path / "fork")
    modeling = fork / "src/transformers/models/llama/modeling_llama.py"
    modeling.write_text(modeling.read_text() + "\nfrom .helpers_llama import missing_helper  # noqa\n")
    subprocess.run(["git", "commit", "-qam", "llama imports a helper module"], cwd=fork, check=True)
    before = tree_state(fork)
    code, out, err = run_cli(capsys, "new-model", "acme", "--like", "llama", "--yes", "--repo", str(fork))
    assert code == 1, err
    assert "verify: import transformers.models.acme.modeling_acme" in err and "helpers_llama" in err, err
    assert "nothing was changed" in err
    assert tree_state(fork) == before and git_status(fork) == ""


@pytest.mark.slow
def test_like_gemma3_text_makes_a_registered_text_only_model(
    sdist_fork: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A sub-model source: the verify stage built every Auto class (exit 0), registered under `acme_text`."""
    fork = clone_fork(sdist_fork, tmp_path / "fork")
    code, out, err = run_cli(capsys, "new-model", "acme", "--like", "gemma3_text", "--yes", "--repo", str(fork))
    assert code == 0, err
    mappings = (fork / "src/transformers/models/auto/auto_mappings.py").read_text()
    assert '("acme_text", "AcmeTextConfig")' in mappings and '("acme_text", "acme")' in mappings
    modeling_auto = (fork / "src/transformers/models/auto/modeling_auto.py").read_text()
    assert '("acme_text", "AcmeForCausalLM")' in modeling_auto
