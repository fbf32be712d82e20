"""`spec_for_kind`: the classes, registrations and tiny configs of the template kinds, checked against
the facts of the real fork (mapping dicts of modeling_auto.py, pipeline tasks of the test mixin)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from transformers_scaffold.errors import UserError
from transformers_scaffold.facts import Entry
from transformers_scaffold.kinds import DEFAULT_TOKENIZERS, TEMPLATE_KINDS, spec_for_kind
from transformers_scaffold.names import resolve_names


def _module_dict_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets if isinstance(t, ast.Name)
    }


def _pipeline_tasks(fork: Path) -> set[str]:
    tree = ast.parse((fork / "tests/test_pipeline_mixin.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "pipeline_test_mapping" for t in node.targets):
            return {key.value for key in node.value.keys}
    raise AssertionError("pipeline_test_mapping not found")


@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_registrations_name_real_mapping_dicts(kind: str, sdist_fork: Path) -> None:
    spec = spec_for_kind(kind, resolve_names("acme"))
    known = _module_dict_names(sdist_fork / "src/transformers/models/auto/modeling_auto.py")
    pairs = spec.registrations()
    assert pairs[0] == ("MODEL_MAPPING_NAMES", "AcmeModel")
    assert {mapping for mapping, _ in pairs} <= known
    # One class per mapping: the Auto class of each task resolves to a single head.
    assert len({mapping for mapping, _ in pairs}) == len(pairs)


@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_pipeline_tasks_are_tasks_of_the_test_mixin(kind: str, sdist_fork: Path) -> None:
    # What the pipeline does: the fork's own pipeline test tasks, read through the facts layer.
    from transformers_scaffold.facts import ForkFacts

    spec = spec_for_kind(kind, resolve_names("acme"), None, ForkFacts(sdist_fork).pipeline_test_tasks)
    tasks = set(spec.base_pipeline_tasks) | {task for head in spec.heads for task in head.pipeline_tasks}
    assert tasks <= _pipeline_tasks(sdist_fork)
    assert {"text-generation", "fill-mask"} & tasks and "token-classification" in tasks


def test_decoder_spec() -> None:
    spec = spec_for_kind("decoder", resolve_names("my-model"))
    assert spec.generative
    assert spec.tokenizer_class == DEFAULT_TOKENIZERS["decoder"] == "LlamaTokenizer"
    assert spec.layer_class == "MyModelDecoderLayer"
    assert [head.cls for head in spec.heads] == [
        "MyModelForCausalLM",
        "MyModelForSequenceClassification",
        "MyModelForTokenClassification",
        "MyModelForQuestionAnswering",
    ]
    assert "token_type_ids" not in spec.input_names
    tiny = spec.tiny_config
    # Grouped-query attention is exercised: fewer key/value heads than query heads, dividing them.
    assert tiny["num_key_value_heads"] < tiny["num_attention_heads"]
    assert tiny["num_attention_heads"] % tiny["num_key_value_heads"] == 0


def test_encoder_spec() -> None:
    spec = spec_for_kind("encoder", resolve_names("MyModel"), Entry("", "", ("XLMRobertaTokenizer",), 0))
    assert not spec.generative
    assert spec.tokenizer_class == "XLMRobertaTokenizer"
    assert spec.layer_class == "MyModelLayer"
    mlm = spec.heads[0]
    assert mlm.cls == "MyModelForMaskedLM"
    assert mlm.mappings[0] == "MODEL_FOR_MASKED_LM_MAPPING_NAMES"
    assert mlm.pipeline_tasks == ("fill-mask",)
    assert "token_type_ids" in spec.input_names
    assert spec.tiny_config["type_vocab_size"] >= 2


@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_tiny_config_is_small_and_plain(kind: str) -> None:
    tiny = spec_for_kind(kind, resolve_names("acme")).tiny_config
    assert tiny["num_hidden_layers"] <= 2  # ModelTesterMixin.test_num_layers_is_small
    assert tiny["hidden_size"] % tiny["num_attention_heads"] == 0
    assert tiny["pad_token_id"] is not None  # sequence classification pools the last non-pad token
    assert all(isinstance(v, (str, int, float, bool, type(None))) for v in tiny.values())


def test_spec_answers_are_plain_data() -> None:
    answers = spec_for_kind("encoder", resolve_names("acme")).to_answers()
    assert answers["model_classes"][0] == "AcmeModel"
    assert list(answers["input_names"]) == ["input_ids", "attention_mask", "token_type_ids"]
    assert answers["heads"][0]["cls"] == "AcmeForMaskedLM"
    assert answers["tiny_config"]["type_vocab_size"] == 16


def test_unknown_kind_is_a_user_error() -> None:
    with pytest.raises(UserError, match="--template decoder or --template encoder"):
        spec_for_kind("seq2seq", resolve_names("acme"))
