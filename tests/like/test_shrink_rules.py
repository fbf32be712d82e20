"""Shrink rules of the family-aware tiny config (`like/shrink.py`), on small stand-in config classes.

Each stand-in keeps the behaviour of the fork's configs the rule is about: a computed `head_dim`
(Mixtral), layer kinds derived from a pattern (Gemma 3's 5 sliding, 1 full), per-stage tuples
(ConvNeXt's `hidden_sizes` / `depths`).
"""

from __future__ import annotations

from typing import Any

from transformers_scaffold.like.shrink import every_layer_kind, shrink


class _Config:
    """A config of keyword fields; `to_dict` gives them back, as `PreTrainedConfig.to_dict` does."""

    def __init__(self, **kwargs: Any) -> None:
        self.__dict__.update(kwargs)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class _Decoder(_Config):
    def __init__(self, hidden_size=4096, num_attention_heads=32, num_hidden_layers=32, head_dim=None, **kw):
        super().__init__(
            hidden_size=hidden_size, num_attention_heads=num_attention_heads,
            num_hidden_layers=num_hidden_layers, head_dim=head_dim, **kw,
        )  # fmt: skip


class _Patterned(_Config):
    """Gemma 3's rule: every sixth layer full attention, the others sliding, unless `layer_types` is given."""

    def __init__(self, num_hidden_layers=26, layer_types=None, **kw):
        if layer_types is None:
            layer_types = ["full" if (i + 1) % 6 == 0 else "sliding" for i in range(num_hidden_layers)]
        if len(layer_types) != num_hidden_layers:
            raise ValueError("one layer type per layer")
        super().__init__(num_hidden_layers=num_hidden_layers, layer_types=layer_types, **kw)


class _Stages(_Config):
    def __init__(self, hidden_sizes=(96, 192, 384, 768), depths=(3, 3, 9, 3), num_channels=3,
                 stem_out_channels=None, output_stride=None, groups_width=None):  # fmt: skip
        super().__init__(hidden_sizes=hidden_sizes, depths=depths, num_channels=num_channels)
        extra = {"stem_out_channels": stem_out_channels, "output_stride": output_stride, "groups_width": groups_width}
        self.__dict__.update({k: v for k, v in extra.items() if v is not None})


def test_a_computed_head_dim_is_written_out_at_the_tiny_size() -> None:
    # The fork's RoPE helpers read `getattr(config, "head_dim", hidden // heads)`: None would stay None.
    assert shrink(_Decoder())["head_dim"] == 32 // 4
    assert shrink(_Decoder(head_dim=128))["head_dim"] == 8  # a fixed one follows the shrunk width too
    assert "head_dim" not in shrink(_Config(hidden_size=4096, num_attention_heads=32))  # no such field


def test_the_tiny_model_keeps_one_layer_of_each_kind() -> None:
    defaults = _Patterned().to_dict()
    tiny = every_layer_kind(_Patterned, {"num_hidden_layers": 2}, defaults)
    assert tiny == {"num_hidden_layers": 2, "layer_types": ["sliding", "full"]}
    # More kinds than tiny layers: the layer count grows to one per kind.
    three = _Patterned(layer_types=["a", "b", "c"] * 4, num_hidden_layers=12).to_dict()
    assert every_layer_kind(_Patterned, {"num_hidden_layers": 2}, three) == {
        "num_hidden_layers": 3,
        "layer_types": ["a", "b", "c"],
    }
    # One kind only, or layer types already chosen: unchanged.
    uniform = _Patterned(layer_types=["full"] * 4, num_hidden_layers=4).to_dict()
    assert every_layer_kind(_Patterned, {"num_hidden_layers": 2}, uniform) == {"num_hidden_layers": 2}
    chosen = {"num_hidden_layers": 2, "layer_types": ["sliding", "sliding"]}
    assert every_layer_kind(_Patterned, chosen, defaults) == chosen


def test_per_stage_sizes_shrink_by_one_power_of_two_as_lists() -> None:
    tiny = shrink(_Stages())
    # One factor (8) for every width: each still a multiple of the 4 heads, the widest >= 32; a list,
    # so `[first] + hidden_sizes` works.
    assert tiny["hidden_sizes"] == [12, 24, 48, 96]
    assert tiny["depths"] == [2, 2, 2, 2]
    assert shrink(_Stages(depths=[1, 2]))["depths"] == [1, 2]
    # A single width a stage is built from shrinks with it (TextNet's stem = its first stage).
    stem = shrink(_Stages(hidden_sizes=(64, 64, 128, 256, 512), stem_out_channels=64, output_stride=64))
    assert stem["hidden_sizes"] == [4, 4, 8, 16, 32] and stem["stem_out_channels"] == 4
    assert "output_stride" not in stem  # not a width
    # Group sizes divide the widths (RegNet's `groups_width`): the source's widths, as a list.
    assert shrink(_Stages(groups_width=64))["hidden_sizes"] == [96, 192, 384, 768]
