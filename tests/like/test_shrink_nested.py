"""`like/shrink.py` on composite configs: nested sub-configs at every depth, per-layer fields, unset sizes,
width relations, the wider second pass; and the fork route that runs it in a child (`tiny_dynamic`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from transformers_scaffold.like.shrink import shrink
from transformers_scaffold.like.tiny_dynamic import dynamic_tiny


class _Config:
    """The parts of a `PreTrainedConfig` the shrink reads: fields by keyword, `to_dict`, `model_type`."""

    model_type = "outer"

    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(fields)

    def to_dict(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            if isinstance(value, _Config):
                return value.to_dict()
            if isinstance(value, list):
                return [plain(v) for v in value]
            return value

        return {key: plain(value) for key, value in self.__dict__.items()}


class _Tower(_Config):
    model_type = "tower"


class _Codebook(_Config):
    model_type = "codebook"


def test_sub_configs_are_shrunk_at_every_depth_whatever_their_name_and_in_lists() -> None:
    quantizer = _Codebook(hidden_size=2048, num_hidden_layers=24)
    encoder = _Tower(hidden_size=1024, num_attention_heads=16, quantizer=quantizer)  # not `*_config`
    towers = [_Tower(hidden_size=768, num_hidden_layers=12), _Tower(hidden_size=512, num_hidden_layers=6)]
    tiny = shrink(_Config(hidden_size=4096, encoder=encoder, towers=towers))
    assert tiny["hidden_size"] == 32
    assert tiny["encoder"]["hidden_size"] == 32 and tiny["encoder"]["num_attention_heads"] == 4
    assert tiny["encoder"]["model_type"] == "tower"
    assert tiny["encoder"]["quantizer"] == {"hidden_size": 32, "num_hidden_layers": 2, "model_type": "codebook"}
    assert [t["hidden_size"] for t in tiny["towers"]] == [32, 32]
    assert [t["num_hidden_layers"] for t in tiny["towers"]] == [2, 2]


def test_sizes_the_source_leaves_unset_are_filled_consistently() -> None:
    tiny = shrink(_Config(hidden_size=4096, num_attention_heads=32, head_dim=None, num_key_value_heads=None))
    assert tiny["head_dim"] == 8 and tiny["num_key_value_heads"] == 4  # hidden / heads; multi-head attention


def test_fields_equal_to_the_width_follow_it_down() -> None:
    tiny = shrink(_Config(hidden_size=512, upsample_groups=512, sliding_window=250, codebook_size=2048))
    assert tiny["upsample_groups"] == 32  # groups = channels at test size too
    assert "sliding_window" not in tiny and "codebook_size" not in tiny  # not the width: kept


def test_layer_types_keep_every_kind_and_per_layer_overrides_follow_their_layer() -> None:
    types = ["sliding_attention" if (i + 1) % 6 else "full_attention" for i in range(30)]
    overrides = {f"{i:02d}": {"head_dim": 512} for i, kind in enumerate(types) if kind == "full_attention"}
    tiny = shrink(_Config(hidden_size=2304, num_hidden_layers=30, layer_types=types, per_layer_config=overrides))
    assert tiny["num_hidden_layers"] == 2
    assert tiny["layer_types"] == ["sliding_attention", "full_attention"]  # both kinds, the last kind last
    assert tiny["per_layer_config"] == {1: {"head_dim": 8}}  # the full-attention layer, its size shrunk too

    three = ["mamba", "attention", "mamba", "moe"] * 4
    tiny = shrink(_Config(num_hidden_layers=16, layer_types=three))
    assert tiny["layer_types"] == ["mamba", "attention", "moe"] and tiny["num_hidden_layers"] == 3

    depth = shrink(
        _Config(num_hidden_layers=42, per_layer_config={str(i): {"hidden_size": 64} for i in range(25, 42)})
    )
    assert depth["per_layer_config"] == {1: {"hidden_size": 32}}  # no layer kinds: the same relative depth


def test_the_wide_pass_shrinks_every_field_named_like_a_size() -> None:
    config = _Config(hidden_size=768, d_latents=1280, entity_vocab_size=500_000, entity_emb_size=256,
                     conv_dims=[256, 512, 1024, 2048], patch_size=16, num_latents=256)  # fmt: skip
    first = shrink(config)
    assert "d_latents" not in first and "entity_vocab_size" not in first and "conv_dims" not in first
    wide = shrink(config, wide=True)
    assert wide["d_latents"] == 32 and wide["entity_emb_size"] == 32 and wide["entity_vocab_size"] == 99
    assert wide["conv_dims"] == [16, 32, 64, 128]  # per-stage widths scaled together, ratios kept
    assert "patch_size" not in wide and "num_latents" not in wide  # a patch and a count, not widths


def test_the_fork_route_runs_the_wide_pass_where_the_first_leaves_the_model_large(sdist_fork: Path) -> None:
    # LUKE: 500 000 entity embeddings are no size field of the first pass; its base model built on the
    # meta device is large, so the wider pass runs (in the child, `shrink_repair.py` loaded by path).
    tiny, why = dynamic_tiny(sdist_fork, "luke", sys.executable)
    assert tiny is not None, why
    assert tiny["entity_vocab_size"] <= 99 and tiny["hidden_size"] == 32
    # DETR: its default backbone is timm's (a library and a checkpoint name); the ResNet the config
    # declares as its backbone's default is used instead, shrunk like any sub-config.
    detr, why = dynamic_tiny(sdist_fork, "detr", sys.executable)
    assert detr is not None, why
    assert detr["backbone_config"]["model_type"] == "resnet" and detr["d_model"] == 32
    evolla, why = dynamic_tiny(sdist_fork, "evolla", sys.executable)  # its model divides by the count
    assert evolla is not None, why
    assert evolla["aligner_num_add_layers"] == 1 and evolla["num_hidden_layers"] == 2
    small, why = dynamic_tiny(sdist_fork, "llama", sys.executable)
    assert small is not None, why
    assert small["hidden_size"] == 32 and "rope_theta" not in small  # small already: the first pass kept


def test_unset_expert_counts_are_filled_only_in_the_fill_variant_and_in_sub_configs_too() -> None:
    text = _Tower(hidden_size=2048, num_experts=None, top_k_experts=None, moe_intermediate_size=None)
    config = _Config(vocab_size=None, text_config=text)
    first = shrink(config)
    assert first["vocab_size"] == 99  # the model sizes its embeddings by it regardless
    assert "num_experts" not in first["text_config"]  # None may mean "dense": left alone first
    filled = shrink(config, fill=True)["text_config"]
    assert filled["num_experts"] == 4 and filled["top_k_experts"] == 2 and filled["moe_intermediate_size"] == 32


def test_tuple_defaults_are_given_as_lists_like_a_loaded_config_has_them() -> None:  # `to_dict` may list them
    class Listing(_Config):  # `to_dict` lists the tuples; the attribute (the default) stays a tuple
        def to_dict(self) -> dict[str, Any]:
            return {k: list(v) if isinstance(v, tuple) else v for k, v in super().to_dict().items()}

    tiny = shrink(Listing(hidden_sizes=(96, 192, 384, 768), depths=(3, 3, 9, 3), strides=(4, 2, 2, 2)))
    assert tiny["strides"] == [4, 2, 2, 2]  # kept, as a list
    assert tiny["hidden_sizes"] == [12, 24, 48, 96] and tiny["depths"] == [2, 2, 2, 2]  # shrunk (shrink_stages.py)


def test_backbone_stage_selections_are_kept_where_the_stages_are_not_the_shrunk_layers() -> None:
    stages = _Tower(hidden_sizes=[256, 512, 1024, 2048], depths=[3, 4, 6, 3], out_features=["stage1", "stage4"])
    tiny = shrink(_Config(hidden_size=512, backbone_config=stages))
    assert tiny["backbone_config"]["out_features"] == ["stage1", "stage4"]  # the parent asked for these
    layered = shrink(_Tower(hidden_size=768, num_hidden_layers=12, out_features=["stage12"], out_indices=[12]))
    assert "out_features" not in layered and "out_indices" not in layered  # stage12 of 2 layers: gone


def test_a_count_of_some_layers_that_no_longer_fits_is_scaled_with_the_layers() -> None:
    tiny = shrink(_Config(num_hidden_layers=35, num_kv_shared_layers=15, num_nextn_predict_layers=1))
    assert tiny["num_hidden_layers"] == 2 and tiny["num_kv_shared_layers"] == 0  # 15 of 35 -> 0 of 2
    assert "num_nextn_predict_layers" not in tiny  # 1 still fits under 2 layers: kept
    # A count the model divides by (Evolla's `aligner_num_add_layers`): the variant tried when 0 does not build.
    divisor = _Config(num_hidden_layers=32, aligner_num_add_layers=8)
    assert shrink(divisor)["aligner_num_add_layers"] == 0 and shrink(divisor, least=1)["aligner_num_add_layers"] == 1


def test_a_model_with_packed_experts_gets_aligned_intermediate_sizes_whatever_its_expert_count() -> None:
    class Packed(_Config):
        base_model_tp_plan = {"layers.*.mlp.experts.gate_up_proj": "packed_colwise"}

    assert shrink(Packed(intermediate_size=8192, num_experts=1))["intermediate_size"] == 32  # grouped_mm strides
    assert shrink(_Config(intermediate_size=8192, num_experts=1))["intermediate_size"] == 37  # a dense model


def test_the_wide_pass_scales_tuple_defaults_too() -> None:
    wide = shrink(_Config(conv_dims=(256, 512, 1024, 2048)), wide=True)
    assert wide["conv_dims"] == [16, 32, 64, 128]  # not the default merely listed
    assert shrink(_Config(conv_dims=(256, 512, 1024, 2048)))["conv_dims"] == [256, 512, 1024, 2048]  # by words only
