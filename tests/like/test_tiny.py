"""Tiny test configs from config class defaults, on inline config excerpts of both styles."""

from __future__ import annotations

import pytest

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


class _Validated:
    """A config class with the kind of cross-field checks upstream configs run in `__post_init__`."""

    def __init__(
        self, hidden_size=32, ffn_dim=37, codebook_dim=512, n_heads=128, expand=2, layer_types=None, layers=2
    ):
        if ffn_dim % 2:
            raise ValueError(f"`ffn_dim={ffn_dim}` must be even.")
        if codebook_dim != hidden_size:
            raise ValueError(f"`codebook_dim` ({codebook_dim}) must equal `hidden_size` ({hidden_size}).")
        if (expand * hidden_size) % n_heads:
            raise ValueError("n_heads must divide expand * hidden_size")
        if layer_types is not None and len(layer_types) != layers:
            raise ValueError(f"`layers` ({layers}) must be equal to the number of `layer_types` ({len(layer_types)})")


def test_shrunk_sizes_that_break_the_configs_validation_are_repaired() -> None:
    from transformers_scaffold.like.shrink import repaired

    defaults = {"hidden_size": 4096, "ffn_dim": 5632, "codebook_dim": 512, "n_heads": 128, "expand": 2,
                "layer_types": ["a", "b", "a", "b"], "layers": 4}  # fmt: skip
    shrunk = {"hidden_size": 32, "ffn_dim": 37, "layers": 2, "layer_types": ["a", "b", "a", "b"]}
    fixed = repaired(_Validated, shrunk, defaults)
    _Validated(**fixed)
    assert fixed["hidden_size"] == 32 and fixed["ffn_dim"] == 32  # even, nearest to 37; the width kept
    assert fixed["codebook_dim"] == 32  # equal to hidden_size, rather than hidden_size growing to 512
    # Divisibility restored by one small change (n_heads 64 or expand 4), the width still 32.
    assert (fixed.get("expand", 2) * 32) % fixed.get("n_heads", 128) == 0
    assert fixed["layer_types"] == ["a", "b"] and fixed["layers"] == 2  # one entry per layer, layers kept


def test_a_config_that_cannot_be_repaired_raises_the_original_error() -> None:
    from transformers_scaffold.like.shrink import repaired

    class Never:
        def __init__(self, **kwargs):
            raise ValueError("nothing fits")

    with pytest.raises(ValueError, match="does not build: ValueError: nothing fits"):
        repaired(Never, {"hidden_size": 32}, {"hidden_size": 4096})


class _Hybrid:
    """A Jamba-like config: attention every `attn_layer_period` layers from `attn_layer_offset`, Mamba otherwise."""

    def __init__(self, **kwargs):
        self.values = {"num_hidden_layers": 32, "hidden_size": 4096, "attn_layer_period": 8, "attn_layer_offset": 4,
                       "expert_layer_period": 2, "expert_layer_offset": 1, "num_experts": 16, **kwargs}  # fmt: skip
        if self.values["attn_layer_offset"] >= self.values["attn_layer_period"]:
            raise ValueError("attention layer offset must be smaller than attention layer period")

    def to_dict(self):
        return dict(self.values)

    def layer_kinds(self):
        v = self.values
        return [
            ("attention" if i % v["attn_layer_period"] == v["attn_layer_offset"] else "mamba")
            + ("+moe" if i % v["expert_layer_period"] == v["expert_layer_offset"] else "")
            for i in range(v["num_hidden_layers"])
        ]


def test_a_periodic_layer_schedule_is_fitted_into_the_tiny_depth() -> None:
    from transformers_scaffold.like.shrink import shrink

    tiny = shrink(_Hybrid())
    assert tiny["num_hidden_layers"] == 2
    assert (tiny["attn_layer_period"], tiny["attn_layer_offset"]) == (2, 1)
    assert "expert_layer_period" not in tiny and "expert_layer_offset" not in tiny  # already fit: left as they are
    # Both kinds of layer are built (at the source's offsets, only Mamba layers would be: no attention cache at all).
    assert _Hybrid(**tiny).layer_kinds() == ["mamba", "attention+moe"]


class _SeqToSeqConfig:
    """A stand-in with a real config's surface for `shrink`: `to_dict()`, its fields as attributes."""

    is_encoder_decoder = True

    def __init__(self, **fields):
        self.__dict__.update(fields)

    def to_dict(self):
        return dict(self.__dict__)


def test_audio_encoder_positions_and_fixed_head_widths_shrink() -> None:
    from transformers_scaffold.like.shrink import HEADS, HIDDEN, SOURCE_POSITIONS, shrink

    # Whisper-like: the encoder takes exactly 2 x max_source_positions frames, its attention maps are positions^2.
    # T5-like: `d_kv` fixes the per-head width, whatever d_model / num_heads is.
    config = _SeqToSeqConfig(d_model=512, num_heads=8, d_kv=64, max_source_positions=1500, max_target_positions=448,
                             max_position_embeddings=1024, decoder_start_token_id=0)  # fmt: skip
    tiny = shrink(config)
    assert tiny["max_source_positions"] == SOURCE_POSITIONS < 1500
    assert tiny["d_kv"] == HIDDEN // HEADS and tiny["d_model"] == HIDDEN
    assert "max_target_positions" not in tiny  # decoder positions bound generated text, they stay
    assert tiny["max_position_embeddings"] == 512


def test_a_size_the_model_requires_but_the_source_leaves_unset_is_repaired_against_the_build() -> None:
    from transformers_scaffold.like.shrink_repair import repaired

    class Series:  # the config accepts `prediction_length=None`; the model's init does not
        def __init__(self, hidden_size=32, prediction_length=None):
            self.hidden_size, self.prediction_length = hidden_size, prediction_length

    def build(config: Series) -> None:
        if config.prediction_length is None:
            raise ValueError("The `prediction_length` config needs to be specified.")

    shrunk = {"hidden_size": 32}
    assert repaired(Series, shrunk, {"hidden_size": 512, "prediction_length": None}) == shrunk  # config only
    fixed = repaired(Series, shrunk, {"hidden_size": 512, "prediction_length": None}, build=build)
    assert fixed == {"hidden_size": 32, "prediction_length": 4}  # the smallest of the small sizes tried


def test_the_numbers_an_error_names_are_tried_as_list_lengths() -> None:
    from transformers_scaffold.like.shrink_repair import repaired

    class PerLayer:
        def __init__(self, num_hidden_layers=2, intermediate_size=37):
            sizes = intermediate_size if isinstance(intermediate_size, list) else [intermediate_size]
            if len(sizes) not in (1, num_hidden_layers):
                raise ValueError(f"intermediate_size: expected {num_hidden_layers} values but got {len(sizes)}.")

    shrunk = {"num_hidden_layers": 2, "intermediate_size": [16] * 35}
    fixed = repaired(PerLayer, shrunk, {"num_hidden_layers": 35, "intermediate_size": [16384] * 35})
    assert fixed == {"num_hidden_layers": 2, "intermediate_size": [16, 16]}  # one per tiny layer, as the error says
