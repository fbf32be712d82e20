"""Shrink rules of the family-aware tiny config (`like/shrink.py`), on small stand-in config classes.

Each stand-in keeps the behaviour of the fork's configs the rule is about: a computed `head_dim`
(Mixtral), per-stage tuples (ConvNeXt's `hidden_sizes` / `depths`). Layer kinds: test_shrink_nested.py.
"""

from __future__ import annotations

from typing import Any

from transformers_scaffold.like.shrink import shrink


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


def test_convolution_channel_lists_shrink_each_on_its_own() -> None:
    # Wav2Vec2's feature encoder (`conv_dim`) and x-vector TDNN (`tdnn_dim`, 1500 wide at the end): each list
    # divided by the power of two that takes its narrowest to the tiny width; kernels and strides kept.
    tiny = shrink(_Config(conv_dim=(512,) * 7, tdnn_dim=(512, 512, 512, 512, 1500), conv_kernel=(10, 3, 3)))
    assert tiny["conv_dim"] == [32] * 7
    assert tiny["tdnn_dim"] == [32, 32, 32, 32, 93]
    assert list(tiny.get("conv_kernel", (10, 3, 3))) == [10, 3, 3]
    assert list(shrink(_Config(conv_dim=(32, 48))).get("conv_dim", (32, 48))) == [32, 48]  # already tiny


def test_a_codecs_stem_filters_doubled_per_stage_are_cut_in_the_wider_pass() -> None:
    # VibeVoice's acoustic tokenizer: 32 filters doubled over 6 down-sampling stages, 2048 channels wide.
    codec = _Config(num_filters=32, downsampling_ratios=[2, 2, 4, 5, 5, 8], hidden_size=64, kernel_size=7)
    wide = shrink(codec, wide=True)
    assert wide["num_filters"] * 2**6 <= 256  # the widest stage at most 8 x the tiny width
    assert "downsampling_ratios" not in wide and "kernel_size" not in wide  # the hop length is kept
    assert "num_filters" not in shrink(codec)  # only where the first pass left the model large
    # EnCodec-likes: 4 stages, the same bound.
    assert shrink(_Config(num_filters=64, upsampling_ratios=[8, 5, 4, 2]), wide=True)["num_filters"] == 16
    assert "num_filters" not in shrink(_Config(num_filters=64), wide=True)  # no stages: nothing doubles


def test_indices_of_the_layers_an_adapter_reads_move_inside_the_tiny_depth() -> None:
    # Molmo2's adapter reads vision layers [24, 18]; its config checks them against the tower's depth.
    assert shrink(_Config(vision_feature_layer=[24, 18]))["vision_feature_layer"] == [1, 0]
    assert shrink(_Config(feature_layer=24))["feature_layer"] == 1
    assert shrink(_Config(vision_feature_layer=[-2, 6]))["vision_feature_layer"] == [-2, 1]  # from the last: kept
    assert "vision_feature_layer" not in shrink(_Config(vision_feature_layer=-2))


def test_groups_of_heads_divide_the_tiny_head_count() -> None:
    # Mamba-2: 8 groups of 128 heads; at 4 heads, 8 groups would leave 0 heads per group (repeat_interleave).
    assert shrink(_Config(num_heads=128, n_groups=8, hidden_size=4096))["n_groups"] == 4
    assert "n_groups" not in shrink(_Config(num_heads=128, n_groups=2, hidden_size=4096))  # 2 divides 4
    assert "n_groups" not in shrink(_Config(n_groups=8, hidden_size=4096))  # no heads of its own: left alone
