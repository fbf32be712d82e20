"""Shrunk configs keep the relations the forward needs (`like/shrink.py`): plain config classes, no fork."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

from transformers_scaffold.like.shrink import HEADS, HIDDEN, QUERIES, SLIDING_WINDOW, shrink


class _Config:
    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(fields)

    def to_dict(self) -> dict[str, Any]:
        return dict(vars(self))


def test_an_unset_routing_count_of_a_moe_is_set() -> None:
    tiny = shrink(_Config(hidden_size=4096, n_routed_experts=64, num_experts_per_tok=None))
    assert tiny["n_routed_experts"] == 4 and tiny["num_experts_per_tok"] == 2  # topk(k=None) otherwise
    assert "num_experts_per_tok" not in shrink(_Config(hidden_size=4096, num_experts_per_tok=None))  # dense


def test_experts_per_token_under_another_name_fit_the_tiny_experts() -> None:
    tiny = shrink(_Config(moe_num_experts=64, moe_k=6))
    assert tiny["moe_k"] <= tiny["moe_num_experts"]


def test_sliding_layers_without_a_window_get_one() -> None:
    sized = shrink(_Config(num_sliding_attention_heads=64, sliding_window=None, layer_types=["full_attention"]))
    assert sized["sliding_window"] == SLIDING_WINDOW
    typed = shrink(_Config(sliding_window=None, layer_types=["sliding_attention", "full_attention"]))
    assert typed["sliding_window"] == SLIDING_WINDOW
    # None meaning "no sliding window" elsewhere stays None.
    assert "sliding_window" not in shrink(_Config(sliding_window=None, use_sliding_window=False))


def test_multimodal_rope_read_with_a_default_by_the_modeling_code_is_shrunk(tmp_path: Path) -> None:
    (tmp_path / "configuration_acme.py").write_text(
        "class AcmeConfig:\n"
        "    def __init__(self, hidden_size=4096, num_attention_heads=32, rope_parameters=None):\n"
        "        self.hidden_size, self.num_attention_heads = hidden_size, num_attention_heads\n"
        "        self.rope_parameters = rope_parameters or {'rope_type': 'default', 'rope_theta': 1e4}\n"
        "    def to_dict(self):\n"
        "        return dict(vars(self))\n"
    )
    (tmp_path / "modeling_acme.py").write_text('SECTION = config.rope_parameters.get("mrope_section", [16, 24, 24])\n')
    spec = importlib.util.spec_from_file_location("acme_configuration_acme", tmp_path / "configuration_acme.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        tiny = shrink(module.AcmeConfig())
    finally:
        del sys.modules[spec.name]
    assert sum(tiny["rope_parameters"]["mrope_section"]) == HIDDEN // HEADS // 2  # half the tiny head
    assert tiny["rope_parameters"]["rope_theta"] == 1e4


class _RotaryConfig:
    """A GPT-J-like config: a rotated part of each head, fixed at the real head size."""

    def __init__(self, n_embd: int = 4096, n_head: int = 16, rotary_dim: int = 64) -> None:
        self.n_embd, self.n_head, self.rotary_dim = n_embd, n_head, rotary_dim

    def to_dict(self) -> dict:
        return dict(vars(self))


def test_a_rotary_dimension_fits_inside_the_tiny_head() -> None:
    tiny = shrink(_RotaryConfig())
    assert tiny["n_embd"] == HIDDEN and tiny["n_head"] == HEADS
    assert 0 < tiny["rotary_dim"] <= HIDDEN // HEADS and tiny["rotary_dim"] % 2 == 0
    assert "rotary_dim" not in shrink(_RotaryConfig(rotary_dim=4))  # one that fits is kept


def test_key_value_heads_of_another_attention_kind_follow_its_tiny_heads() -> None:
    # Sliding-window layers with their own heads: 8 key/value heads for 4 query heads repeat 0 times.
    tiny = shrink(_Config(swa_num_attention_heads=48, swa_num_key_value_heads=8, num_attention_heads=48))
    assert tiny["swa_num_attention_heads"] == HEADS and tiny["swa_num_key_value_heads"] <= HEADS
    # Encoder heads with as many key/value heads (multi-head attention) stay that way.
    tiny = shrink(_Config(encoder_num_attention_heads=8, encoder_num_key_value_heads=8))
    assert tiny["encoder_num_key_value_heads"] == tiny["encoder_num_attention_heads"] == HEADS


def test_an_embedding_width_shrinks_with_the_hidden_width() -> None:
    tiny = shrink(_Config(embedding_size=3584, hidden_size=3584))  # a talker fed the thinker's embeddings
    assert tiny["embedding_size"] == tiny["hidden_size"] == HIDDEN


def test_detector_queries_fit_the_tokens_of_a_tiny_image() -> None:
    # Two-stage detectors pick their queries by top-k over the encoder's tokens: 900 of a 32-pixel image fail.
    assert shrink(_Config(d_model=256, num_queries=900))["num_queries"] == QUERIES
    assert "num_queries" not in shrink(_Config(d_model=256, num_queries=5))


def test_per_language_adapters_get_a_default_language() -> None:
    tiny = shrink(_Config(hidden_size=768, languages=["en_XX", "de_DE"], default_language=None))
    assert tiny["default_language"] == "en_XX"  # the forward refuses to guess one
    assert "default_language" not in shrink(_Config(languages=["en_XX"], default_language="de_DE"))


def test_an_intermediate_split_into_groups_stays_a_multiple_of_them() -> None:
    # SqueezeBERT's grouped 1x1 convolutions: 4 groups of the intermediate (37 is no multiple of 4).
    grouped = shrink(_Config(hidden_size=768, intermediate_size=3072, intermediate_groups=4, output_groups=4))
    assert grouped["intermediate_size"] % 4 == 0
    assert shrink(_Config(hidden_size=768, intermediate_size=3072, output_groups=1))["intermediate_size"] == 37
