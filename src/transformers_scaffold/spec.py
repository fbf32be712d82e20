"""What a generated model consists of: the contract between the generator's stages.

A `ModelSpec` is computed before anything is rendered (from a template kind, or from the source
model for `--like`). The registration edits read it (which mapping gets which class), and the
copier template receives it as the `spec` answer (test classes, tiny config, doc autodoc list).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from transformers_scaffold.facts import tasks


@dataclass(frozen=True)
class HeadSpec:
    """One task head: its class, the auto mappings that register it, and what the task table says
    of them (`facts.tasks`): pipeline tasks, Auto classes, the generated test's shape check."""

    cls: str  # "AcmeForCausalLM"
    mappings: tuple[str, ...]  # ("MODEL_FOR_CAUSAL_LM_MAPPING_NAMES",)
    pipeline_tasks: tuple[str, ...] = ()  # ("text-generation",)
    auto_classes: tuple[str, ...] = ()  # ("AutoModelForCausalLM",)
    check: str | None = None  # "causal_lm"
    source: str = ""  # kind == "like": the source's head it is copied from ("WhisperForCausalLM")

    @classmethod
    def of(
        cls, name: str, mappings: tuple[str, ...], available_tasks: frozenset[str] | None = None, source: str = ""
    ) -> HeadSpec:
        """A head registered in `mappings`, its task facts filled in from the task table."""
        return cls(
            cls=name,
            mappings=mappings,
            pipeline_tasks=tasks.pipeline_tasks(mappings, available_tasks),
            auto_classes=tasks.auto_classes_for(mappings),
            check=tasks.check_for(mappings),
            source=source,
        )


@dataclass(frozen=True)
class ModelSpec:
    """Classes and test settings of one generated model."""

    kind: str  # "decoder" | "encoder" | "like"
    config_class: str  # "AcmeConfig"
    pretrained_class: str  # "AcmePreTrainedModel"
    base_class: str  # "AcmeModel" -> MODEL_MAPPING_NAMES
    heads: tuple[HeadSpec, ...]
    layer_class: str  # the block in _no_split_modules / gradient checkpointing
    attention_class: str
    generative: bool  # can call generate() -> tests inherit GenerationTesterMixin
    tokenizer_class: str  # the class the tests and docs load (TOKENIZER_MAPPING_NAMES value, by the facts' rule)
    tiny_config: dict[str, Any] = field(default_factory=dict)  # kwargs of the tiny test config
    # The TOKENIZER_MAPPING_NAMES value to register, as Python source, when the tokenizer is another
    # model type's (`--tokenizer TYPE`, `--like TYPE`): copied verbatim, guards included, so the new
    # model resolves its tokenizer exactly as that model does. "" -> registration spells the class itself.
    tokenizer_source: str = ""
    source_model_type: str = ""  # for kind == "like"
    # Forward inputs the generated model tester feeds: BERT-likes add "token_type_ids" (ranging over
    # tiny_config["type_vocab_size"]); Llama-likes take ("input_ids", "attention_mask") only.
    input_names: tuple[str, ...] = ("input_ids", "attention_mask")
    # The base model's example forward inputs, in order: one recipe per argument (name, kind, shapes in
    # config fields; `facts/inputs.py`), built into tensors by `like/example_inputs.py`. () -> token ids.
    example_inputs: tuple[dict[str, Any], ...] = ()
    # Pipeline tasks of the base model in the tests' `pipeline_model_mapping` (heads carry their own).
    base_pipeline_tasks: tuple[str, ...] = ("feature-extraction",)
    # kind == "like" on a fork with the modular converter: (new class, source class, source module
    # such as "llama.modeling_llama") per class of modular_<module>.py (templates/.../like/modular.py.jinja).
    like_bases: tuple[tuple[str, str, str], ...] = ()
    # kind == "like": further classes the source exports and documents (e.g. Qwen2RMSNorm), renamed;
    # the doc page gets an [[autodoc]] section for each.
    extra_exports: tuple[str, ...] = ()
    # kind == "like": (model type, config class) of the other configs the copied package defines, renamed
    # (`audioflamingo3_encoder` -> `acme_encoder`): registered too, since the copied code looks them up by type.
    sibling_configs: tuple[tuple[str, str], ...] = ()
    # ... and (mapping, model type, class) of their own model registrations (`acme_vision` -> AcmeVisionModel):
    # a composite model builds its sub-models through AutoModel.from_config(config.vision_config).
    sibling_models: tuple[tuple[str, str, str], ...] = ()

    @property
    def model_classes(self) -> tuple[str, ...]:
        """Every model class, base first (`all_model_classes` in the tests)."""
        return tuple(dict.fromkeys((self.base_class, *(head.cls for head in self.heads))))

    @property
    def public_classes(self) -> tuple[str, ...]:
        """Every class in the model's `__all__`s, in doc order (config first)."""
        # dict.fromkeys: a derived base can be its own PreTrainedModel (`UnivNetModel`) or a head (`TrOCRForCausalLM`).
        return tuple(
            dict.fromkeys((self.config_class, self.pretrained_class, *self.model_classes, *self.extra_exports))
        )

    def registrations(self) -> list[tuple[str, str]]:
        """(mapping name, class) pairs for models/auto/modeling_auto.py, base model first."""
        pairs = [("MODEL_MAPPING_NAMES", self.base_class)]
        pairs += [(mapping, head.cls) for head in self.heads for mapping in head.mappings]
        return pairs

    def to_answers(self) -> dict[str, Any]:
        """Plain data for the copier `spec` answer (tuples become lists)."""
        data = asdict(self)
        data["model_classes"] = list(self.model_classes)
        data["public_classes"] = list(self.public_classes)
        return data
