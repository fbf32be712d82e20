"""`plan_like` on the 5.24 sdist fork (no utils/, no model tests): the self-contained path."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest

from transformers_scaffold.errors import UserError
from transformers_scaffold.facts import ForkFacts
from transformers_scaffold.fork import Fork
from transformers_scaffold.like import plan_like
from transformers_scaffold.like.rename import Casings, Renamer, leftovers
from transformers_scaffold.like.source import load_source
from transformers_scaffold.names import resolve_names
from transformers_scaffold.pipeline.preflight import resolve_tokenizer

SOURCES = ["llama", "mistral", "bert", "xlm-roberta"]


def reader(root: Path):
    def read(rel: Path) -> str | None:
        path = root / rel
        return path.read_text(encoding="utf-8") if path.is_file() else None

    return read


def _defined_classes(text: str) -> set[str]:
    return {n.name for n in ast.parse(text).body if isinstance(n, ast.ClassDef)}


@pytest.mark.parametrize("source", SOURCES)
def test_planned_files_compile_and_keep_no_source_names(sdist_fork: Path, source: str) -> None:
    plan = plan_like(ForkFacts(sdist_fork), source, resolve_names("acme"), None)
    src = load_source(ForkFacts(sdist_fork), source)
    assert not plan.modular and plan.render_tests  # the sdist has neither the converter nor model tests
    assert set(plan.files) == {
        "src/transformers/models/acme/__init__.py",
        "src/transformers/models/acme/configuration_acme.py",
        "src/transformers/models/acme/modeling_acme.py",
    }
    old = Casings(src.model_type, src.module, src.camel, src.upper)
    checker = Renamer(old, Casings("acme", "acme", "Acme", "ACME"))
    for path, text in plan.files.items():
        compile(text, path, "exec", dont_inherit=True)
        # Only the reused tokenizer may still name the source model.
        assert set(leftovers(checker, text)) <= set(src.tokenizer_classes), path
        assert "{{" not in text
    init = plan.files["src/transformers/models/acme/__init__.py"]
    assert "from .configuration_acme import *" in init and "from .modeling_acme import *" in init
    assert "tokenization_" not in init  # the tokenizer is reused, not copied


@pytest.mark.parametrize("source", SOURCES)
def test_spec_names_the_renamed_classes_and_their_registrations(sdist_fork: Path, source: str) -> None:
    plan = plan_like(ForkFacts(sdist_fork), source, resolve_names("acme"), None)
    spec = plan.spec
    modeling = plan.files["src/transformers/models/acme/modeling_acme.py"]
    config = plan.files["src/transformers/models/acme/configuration_acme.py"]
    assert spec.kind == "like" and spec.source_model_type == source
    assert spec.config_class == "AcmeConfig" and "AcmeConfig" in _defined_classes(config)
    assert 'model_type = "acme"' in config
    defined = _defined_classes(modeling)
    for cls in (*spec.model_classes, spec.pretrained_class, spec.layer_class, spec.attention_class):
        assert cls in defined, cls
    # Every head is registered where the source's counterpart is, in mappings that exist.
    facts = ForkFacts(sdist_fork)
    for mapping, cls in spec.registrations():
        source_cls = cls.replace("Acme", load_source(facts, source).camel, 1)
        assert source_cls in facts.mapped_classes(mapping), (mapping, source_cls)
    causal = [h for h in spec.heads if "MODEL_FOR_CAUSAL_LM_MAPPING_NAMES" in h.mappings]
    assert spec.generative == bool(causal)
    module_all = ast.literal_eval(re.search(r"__all__ = (\[.*?\])", modeling, re.S).group(1))
    assert set(spec.model_classes) <= set(module_all)


def test_spec_details_per_source(sdist_fork: Path) -> None:
    llama = plan_like(ForkFacts(sdist_fork), "llama", resolve_names("acme"), None).spec
    assert llama.layer_class == "AcmeDecoderLayer" and llama.tokenizer_class == "LlamaTokenizer"
    assert "AcmeForCausalLM" in {h.cls for h in llama.heads} and llama.generative
    assert "token_type_ids" not in llama.input_names
    bert = plan_like(ForkFacts(sdist_fork), "bert", resolve_names("acme"), None).spec
    assert "token_type_ids" in bert.input_names and bert.tokenizer_class == "BertTokenizer"
    # BertLMHeadModel can generate: the tests must then inherit GenerationTesterMixin.
    assert bert.generative and "AcmeLMHeadModel" in {h.cls for h in bert.heads}
    chosen = plan_like(
        ForkFacts(sdist_fork), "bert", resolve_names("acme"), resolve_tokenizer(Fork(sdist_fork), "llama")
    ).spec
    assert chosen.tokenizer_class == "LlamaTokenizer"
    # Mamba's `_no_split_modules` names its block and the mixer inside it: the block is the layer.
    mamba = plan_like(ForkFacts(sdist_fork), "mamba", resolve_names("acme"), None).spec
    assert mamba.layer_class == "AcmeBlock"
    # Whisper's encoder and decoder both record hidden states: its causal LM head runs the decoder's.
    whisper = plan_like(ForkFacts(sdist_fork), "whisper", resolve_names("acme"), None).spec
    assert whisper.layer_class == "AcmeDecoderLayer"
    # Wav2Vec2 checkpoints its feature encoder's convolutions too: the block is the one holding an attention.
    wav2vec2 = plan_like(ForkFacts(sdist_fork), "wav2vec2", resolve_names("acme"), None).spec
    assert wav2vec2.layer_class == "AcmeEncoderLayer"
    # Each head knows the source class it is copied from (the generated tests read upstream's facts of it).
    assert {h.cls: h.source for h in whisper.heads}["AcmeForCausalLM"] == "WhisperForCausalLM"


def test_tiny_config_shrinks_sizes_and_keeps_the_rest(sdist_fork: Path) -> None:
    tiny = plan_like(ForkFacts(sdist_fork), "mistral", resolve_names("acme"), None).spec.tiny_config
    assert tiny["hidden_size"] == 32 and tiny["num_hidden_layers"] <= 2
    assert tiny["num_attention_heads"] % tiny["num_key_value_heads"] == 0
    assert tiny["num_key_value_heads"] < tiny["num_attention_heads"]  # grouped-query attention exercised
    assert "sliding_window" not in tiny and "rms_norm_eps" not in tiny  # defaults kept
    assert tiny["pad_token_id"] == 0  # sequence classification pools the last non-padding token
    bert = plan_like(ForkFacts(sdist_fork), "bert", resolve_names("acme"), None).spec.tiny_config
    assert bert.get("type_vocab_size", 2) <= 16 and "hidden_dropout_prob" not in bert


def test_hyphenated_source_and_name(sdist_fork: Path) -> None:
    plan = plan_like(ForkFacts(sdist_fork), "xlm-roberta", resolve_names("my-model"), None)
    config = plan.files["src/transformers/models/my_model/configuration_my_model.py"]
    assert 'model_type = "my-model"' in config and "class MyModelConfig(" in config
    modeling = plan.files["src/transformers/models/my_model/modeling_my_model.py"]
    assert "from .configuration_my_model import MyModelConfig" in modeling


@pytest.mark.parametrize(("source", "hint"), [("lama", "llama"), ("xlm_roberta", "xlm-roberta"), ("bertt", "bert")])
def test_unknown_source_names_close_matches(sdist_fork: Path, source: str, hint: str) -> None:
    with pytest.raises(UserError) as exc:
        plan_like(ForkFacts(sdist_fork), source, resolve_names("acme"), None)
    message = str(exc.value)
    assert hint in message and "CONFIG_MAPPING_NAMES" in message and "\n" not in message


def test_source_without_modeling_files_is_refused(sdist_fork: Path) -> None:
    with pytest.raises(UserError, match="modeling"):
        plan_like(ForkFacts(sdist_fork), "exaone", resolve_names("acme"), None)


@pytest.mark.parametrize("version", ["4.57.1", "5.15.0", "6.0.0"])
def test_unsupported_fork_versions_are_refused(tmp_path: Path, version: str) -> None:
    init = tmp_path / "src/transformers/__init__.py"
    init.parent.mkdir(parents=True)
    init.write_text(f'__version__ = "{version}"\n')
    with pytest.raises(UserError, match=re.escape(version)):
        plan_like(ForkFacts(tmp_path), "llama", resolve_names("acme"), None)


def test_planning_writes_nothing(fork: Path) -> None:
    plan_like(ForkFacts(fork), "bert", resolve_names("acme"), None)
    status = subprocess.run(["git", "status", "--porcelain"], cwd=fork, capture_output=True, text=True, check=True)
    assert status.stdout == ""


def test_sub_model_sources_copy_their_package_and_register_their_own_classes(sdist_fork: Path) -> None:
    """`--like clip_text_model`: models/clip copied as models/acme; the text model registered as `acme_text_model`."""
    plan = plan_like(ForkFacts(sdist_fork), "clip_text_model", resolve_names("acme"), None)
    assert plan.model_type == "acme_text_model"
    assert plan.spec.config_class == "AcmeTextConfig" and plan.spec.base_class == "AcmeTextModel"
    assert "src/transformers/models/acme/modeling_acme.py" in plan.files
    assert 'model_type = "acme_text_model"' in plan.files["src/transformers/models/acme/configuration_acme.py"]


LLAMA_TESTS = """\
import unittest

from transformers import LlamaTokenizer, is_torch_available
from transformers.models.llama.modeling_llama import LlamaRotaryEmbedding

from ...causal_lm_tester import CausalLMModelTest, CausalLMModelTester

if is_torch_available():
    from transformers import LlamaForCausalLM, LlamaModel


class LlamaModelTester(CausalLMModelTester):
    base_model_class = LlamaModel


class LlamaModelTest(CausalLMModelTest, unittest.TestCase):
    model_tester_class = LlamaModelTester

    def test_llama_rope(self):
        self.assertIsNotNone(LlamaRotaryEmbedding)
        tokenizer = LlamaTokenizer.from_pretrained("meta-llama/Llama-2-7b-hf")
"""

INTEGRATION_ONLY = """\
import unittest


class XLMRobertaModelIntegrationTest(unittest.TestCase):
    def test_xlm_roberta_base(self):
        pass
"""


def test_source_tests_are_copied_renamed_without_tokenizer_tests(fork: Path) -> None:
    tests = fork / "tests/models/llama"
    tests.mkdir(parents=True)
    (tests / "test_modeling_llama.py").write_text(LLAMA_TESTS)
    (tests / "test_tokenization_llama.py").write_text("import unittest\n")
    plan = plan_like(ForkFacts(fork), "llama", resolve_names("acme"), None)
    assert not plan.render_tests
    assert [p for p in plan.files if p.startswith("tests/")] == ["tests/models/acme/test_modeling_acme.py"]
    text = plan.files["tests/models/acme/test_modeling_acme.py"]
    # Upstream's tool keeps `transformers.models.llama` here; the renamed module path is what exists.
    assert "from transformers.models.acme.modeling_acme import AcmeRotaryEmbedding" in text
    assert "class AcmeModelTest(CausalLMModelTest" in text and "def test_acme_rope" in text
    assert "LlamaTokenizer" in text and '"meta-llama/Llama-2-7b-hf"' in text  # reused tokenizer, real checkpoint


def test_a_test_file_without_common_tests_is_replaced_by_the_template(fork: Path) -> None:
    tests = fork / "tests/models/xlm_roberta"
    tests.mkdir(parents=True)
    (tests / "test_modeling_xlm_roberta.py").write_text(INTEGRATION_ONLY)
    plan = plan_like(ForkFacts(fork), "xlm-roberta", resolve_names("acme"), None)
    assert plan.render_tests and not any(p.startswith("tests/") for p in plan.files)


def test_documented_extra_exports_are_kept_and_building_blocks_are_not(sdist_fork: Path) -> None:

    plan = plan_like(ForkFacts(sdist_fork), "qwen2", resolve_names("acme"), None)
    assert "AcmeRMSNorm" in plan.spec.extra_exports
    assert "AcmeRMSNorm" in plan.spec.public_classes
    assert not [c for c in plan.spec.extra_exports if c.endswith(("Layer", "Attention", "PreTrainedModel"))]
    llama = plan_like(ForkFacts(sdist_fork), "llama", resolve_names("acme"), None)
    assert llama.spec.extra_exports == ()


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("vit", '("acme", {"pil": "ViTImageProcessorPil", "torchvision": "ViTImageProcessor"})'),
        ("whisper", '("acme", "WhisperFeatureExtractor")'),
    ],
)
def test_like_registers_the_source_preprocessors(sdist_fork: Path, source: str, expected: str) -> None:
    """The image processor (vision) or feature extractor (audio) of the source is registered for the
    new type, copied as the fork spells it, so AutoImageProcessor / AutoFeatureExtractor resolve it."""
    from transformers_scaffold.codemods.registration import plan_registration

    facts = ForkFacts(sdist_fork)
    names = resolve_names("acme")
    edits = plan_registration(facts, names, plan_like(facts, source, names, None).spec)
    mapping = "IMAGE_PROCESSOR_MAPPING_NAMES" if source == "vit" else "FEATURE_EXTRACTOR_MAPPING_NAMES"
    text = edits[sdist_fork / str(facts.defining_file(mapping))]
    assert expected in text
    if source == "whisper":
        assert '("acme", "WhisperProcessor")' in text
