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
- `heads[*]`: built with `HeadSpec.of` from the task table (`facts/tasks.py`): mappings, Auto
  classes, pipeline tasks (kept to those the fork's pipeline tests know) and the shape check.
- `generative`: the test class inherits `GenerationTesterMixin` and gets our greedy
  `generate()` cache test.
"""

from __future__ import annotations

from transformers_scaffold.errors import UserError
from transformers_scaffold.facts import Entry
from transformers_scaffold.facts.tasks import BY_SUFFIX
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


# Heads of each template: (class suffix, extra mappings beyond the suffix's own row of the task table).
_HEADS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "decoder": (
        ("ForCausalLM", ()),
        ("ForSequenceClassification", ()),
        ("ForTokenClassification", ()),
        ("ForQuestionAnswering", ()),
    ),
    "encoder": (
        # Encoder-only MLMs double as the pretraining head (as RoBERTa and DistilBERT are registered).
        ("ForMaskedLM", ("MODEL_FOR_PRETRAINING_MAPPING_NAMES",)),
        ("ForSequenceClassification", ()),
        ("ForTokenClassification", ()),
        ("ForQuestionAnswering", ()),
    ),
}


def _heads(kind: str, names: ModelNames, available_tasks: frozenset[str] | None) -> tuple[HeadSpec, ...]:
    return tuple(
        HeadSpec.of(f"{names.camel}{suffix}", (BY_SUFFIX[suffix].mapping, *extra), available_tasks)
        for suffix, extra in _HEADS[kind]
    )


def _decoder(names: ModelNames, tokenizer: Entry, available_tasks: frozenset[str] | None) -> ModelSpec:
    camel = names.camel
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
        heads=_heads("decoder", names, available_tasks),
        layer_class=f"{camel}DecoderLayer",
        attention_class=f"{camel}Attention",
        generative=True,
        tokenizer_class=tokenizer.first or DEFAULT_TOKENIZERS["decoder"],
        tokenizer_source=tokenizer.source,
        tiny_config=tiny,
        input_names=("input_ids", "attention_mask"),
    )


def _encoder(names: ModelNames, tokenizer: Entry, available_tasks: frozenset[str] | None) -> ModelSpec:
    camel = names.camel
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
        heads=_heads("encoder", names, available_tasks),
        layer_class=f"{camel}Layer",
        attention_class=f"{camel}Attention",
        generative=False,
        tokenizer_class=tokenizer.first or DEFAULT_TOKENIZERS["encoder"],
        tokenizer_source=tokenizer.source,
        tiny_config=tiny,
        input_names=("input_ids", "attention_mask", "token_type_ids"),
    )


def spec_for_kind(
    kind: str,
    names: ModelNames,
    tokenizer: Entry | None = None,
    available_tasks: frozenset[str] | None = None,
) -> ModelSpec:
    """The spec of a from-scratch model of template `kind`.

    `tokenizer`: another model type's tokenizer entry (`--tokenizer TYPE`), registered verbatim;
    default per kind. `available_tasks`: the fork's pipeline test tasks (None: keep every task).
    """
    if kind not in TEMPLATE_KINDS:
        raise UserError(f"unknown template {kind!r}: pass --template {' or --template '.join(TEMPLATE_KINDS)}")
    chosen = tokenizer or Entry("", "", (DEFAULT_TOKENIZERS[kind],), 0)
    build = _decoder if kind == "decoder" else _encoder
    return build(names, chosen, available_tasks)
