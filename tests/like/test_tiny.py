"""Tiny test configs from config class defaults, on inline config excerpts of both styles."""

from __future__ import annotations

from transformers_scaffold.like.tiny import TINY_VOCAB, config_fields, tiny_config

DATACLASS_STYLE = """
@strict
class BaseConfig(PreTrainedConfig):
    rms_norm_eps: float = 1e-6
    hidden_size: int = 1024


@strict
class AcmeConfig(BaseConfig):
    vocab_size: int = 128256
    hidden_size: int = 4096
    num_hidden_layers: int = 32
    num_attention_heads: int = 32
    num_key_value_heads: int = 8
    head_dim: int = 128
    max_position_embeddings: int = 4096 * 32
    initializer_range: float = interval(min=0.0, max=1.0)(default=0.02)
    bos_token_id: int | None = 128000
    eos_token_id: int | list[int] | None = [128001, 128009]
    pad_token_id: int | None = None
    sliding_window: int | None = 4096
"""

INIT_STYLE = """
class OldConfig(PretrainedConfig):
    def __init__(self, vocab_size=50257, n_embd=768, n_layer=12, n_head=12, layer_norm_epsilon=1e-5, pad_token_id=None, **kwargs):
        super().__init__(**kwargs)
"""


def test_fields_of_dataclass_configs_include_parents_and_wrapped_defaults() -> None:
    fields = config_fields(DATACLASS_STYLE, "AcmeConfig")
    assert fields["hidden_size"] == 4096  # the child's default wins over the parent's
    assert fields["rms_norm_eps"] == 1e-6
    assert fields["initializer_range"] == 0.02
    assert fields["max_position_embeddings"] == 4096 * 32


def test_tiny_config_is_consistent_and_keeps_other_defaults() -> None:
    tiny = tiny_config(config_fields(DATACLASS_STYLE, "AcmeConfig"), needs_pad_token=True)
    assert tiny["head_dim"] * tiny["num_attention_heads"] == tiny["hidden_size"]
    assert tiny["num_key_value_heads"] < tiny["num_attention_heads"]
    assert tiny["num_attention_heads"] % tiny["num_key_value_heads"] == 0
    assert tiny["num_hidden_layers"] <= 2
    # Special tokens must index into the tiny vocabulary.
    for name in ("bos_token_id", "eos_token_id", "pad_token_id"):
        ids = tiny[name] if isinstance(tiny[name], list) else [tiny[name]]
        assert all(0 <= i < TINY_VOCAB for i in ids), name
    assert "sliding_window" not in tiny and "rms_norm_eps" not in tiny and "initializer_range" not in tiny


def test_init_style_configs_and_gpt_spellings() -> None:
    fields = config_fields(INIT_STYLE, "OldConfig")
    assert fields["n_embd"] == 768 and fields["layer_norm_epsilon"] == 1e-5
    tiny = tiny_config(fields, needs_pad_token=False)
    assert tiny["n_embd"] == 32 and tiny["n_layer"] == 2 and tiny["n_head"] == 4
    assert "pad_token_id" not in tiny  # not needed without a sequence-classification head
