"""The `ModelSpec` of each from-scratch template kind (`--template decoder|encoder`).

A spec names every class the templates in `templates/model/_partials/<kind>/` define, the auto mappings
each head is registered in (the exact `MODEL_FOR_*_MAPPING_NAMES` dicts of 5.24's
`models/auto/modeling_auto.py`), the pipeline tasks of the generated tests' `pipeline_model_mapping`,
and the tiny config the generated `ModelTester` builds.

Spec keys the generic test template (`_partials/tests/test_modeling.py.jinja`) reads, so a `--like`
spec must fill them the same way:

- `tiny_config`: keyword arguments of the config class for the tiny test model. Must hold
  `vocab_size`, `hidden_size`, `num_hidden_layers` (<= 2: `test_num_layers_is_small`) and
  `num_attention_heads`; `type_vocab_size` when `input_names` has `token_type_ids`;
  a `pad_token_id` when a sequence-classification head pools the last non-padding token.
  Values must be plain Python literals (str, int, float, bool, None, lists, dicts).
- `input_names`: the forward inputs the tester feeds (`input_ids` always; `attention_mask`;
  `token_type_ids` for BERT-likes).
- `heads[*].mappings`: the test picks each head's shape check from its task mapping
  (causal LM, masked LM, sequence/token classification, question answering).
- `generative`: the test class inherits `GenerationTesterMixin` and gets our greedy
  `generate()` cache test.
"""

from __future__ import annotations

from transformers_scaffold.errors import UserError
from transformers_scaffold.names import ModelNames
from transformers_scaffold.spec import HeadSpec, ModelSpec

TEMPLATE_KINDS = ("decoder", "encoder")
DEFAULT_TOKENIZERS = {"decoder": "LlamaTokenizer", "encoder": "BertTokenizer"}

# Sizes shared by both kinds' tiny test models, the same scale as upstream's model testers.
_TINY_COMMON = {
    "vocab_size": 99,
    "hidden_size": 32,
    "intermediate_size": 37,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "max_position_embeddings": 512,
    "initializer_range": 0.02,
    "pad_token_id": 0,
}


def _decoder(names: ModelNames, tokenizer_class: str) -> ModelSpec:
    camel = names.camel
    heads = (
        HeadSpec(f"{camel}ForCausalLM", ("MODEL_FOR_CAUSAL_LM_MAPPING_NAMES",), ("text-generation",)),
        HeadSpec(
            f"{camel}ForSequenceClassification",
            ("MODEL_FOR_SEQUENCE_CLASSIFICATION_MAPPING_NAMES",),
            ("text-classification", "zero-shot"),
        ),
        HeadSpec(
            f"{camel}ForTokenClassification",
            ("MODEL_FOR_TOKEN_CLASSIFICATION_MAPPING_NAMES",),
            ("token-classification",),
        ),
        # No pipeline task: 5.24 removed the "question-answering" pipeline (and its mixin test).
        HeadSpec(f"{camel}ForQuestionAnswering", ("MODEL_FOR_QUESTION_ANSWERING_MAPPING_NAMES",)),
    )
    tiny = {
        **_TINY_COMMON,
        # Fewer key/value heads than query heads, so the tests exercise grouped-query attention.
        "num_key_value_heads": 2,
        "hidden_act": "silu",
        "bos_token_id": 1,
        "eos_token_id": 2,
    }
    return ModelSpec(
        kind="decoder",
        config_class=f"{camel}Config",
        pretrained_class=f"{camel}PreTrainedModel",
        base_class=f"{camel}Model",
        heads=heads,
        layer_class=f"{camel}DecoderLayer",
        attention_class=f"{camel}Attention",
        generative=True,
        tokenizer_class=tokenizer_class,
        tiny_config=tiny,
        input_names=("input_ids", "attention_mask"),
    )


def _encoder(names: ModelNames, tokenizer_class: str) -> ModelSpec:
    camel = names.camel
    heads = (
        # Encoder-only MLMs double as the pretraining head (as RoBERTa and DistilBERT are registered).
        HeadSpec(
            f"{camel}ForMaskedLM",
            ("MODEL_FOR_MASKED_LM_MAPPING_NAMES", "MODEL_FOR_PRETRAINING_MAPPING_NAMES"),
            ("fill-mask",),
        ),
        HeadSpec(
            f"{camel}ForSequenceClassification",
            ("MODEL_FOR_SEQUENCE_CLASSIFICATION_MAPPING_NAMES",),
            ("text-classification", "zero-shot"),
        ),
        HeadSpec(
            f"{camel}ForTokenClassification",
            ("MODEL_FOR_TOKEN_CLASSIFICATION_MAPPING_NAMES",),
            ("token-classification",),
        ),
        # No pipeline task: 5.24 removed the "question-answering" pipeline (and its mixin test).
        HeadSpec(f"{camel}ForQuestionAnswering", ("MODEL_FOR_QUESTION_ANSWERING_MAPPING_NAMES",)),
    )
    tiny = {
        **_TINY_COMMON,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "type_vocab_size": 16,
    }
    return ModelSpec(
        kind="encoder",
        config_class=f"{camel}Config",
        pretrained_class=f"{camel}PreTrainedModel",
        base_class=f"{camel}Model",
        heads=heads,
        layer_class=f"{camel}Layer",
        attention_class=f"{camel}Attention",
        generative=False,
        tokenizer_class=tokenizer_class,
        tiny_config=tiny,
        input_names=("input_ids", "attention_mask", "token_type_ids"),
    )


def spec_for_kind(kind: str, names: ModelNames, tokenizer_class: str | None = None) -> ModelSpec:
    """The spec of a from-scratch model of template `kind`; `tokenizer_class` defaults per kind."""
    if kind not in TEMPLATE_KINDS:
        raise UserError(f"unknown template {kind!r}: pass --template {' or --template '.join(TEMPLATE_KINDS)}")
    tokenizer = tokenizer_class or DEFAULT_TOKENIZERS[kind]
    build = _decoder if kind == "decoder" else _encoder
    return build(names, tokenizer)
