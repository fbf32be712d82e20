"""Vision family rules of `like/shrink.py`: backbones and the detectors, depth and segmentation necks
that read them (`shrink_stages.py`, `shrink_backbone.py`, `shrink_composite.py`), on stand-in configs
and, through the child route (`dynamic_tiny`), on the sdist fork's own configs."""

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
        return {k: v.to_dict() if isinstance(v, _Config) else v for k, v in self.__dict__.items()}


class _HGNet(_Config):
    """HGNetV2's stage lists: `hidden_sizes` declared, the blocks built from `stage_*_channels`."""

    model_type = "hgnet"

    def __init__(self, **fields: Any) -> None:
        super().__init__(**{
            "num_channels": 3, "embedding_size": 64, "depths": [3, 4, 6, 3],
            "hidden_sizes": [256, 512, 1024, 2048], "stem_channels": [3, 32, 48],
            "stage_in_channels": [48, 128, 512, 1024], "stage_out_channels": [128, 512, 1024, 2048],
            "stage_num_blocks": [1, 1, 3, 1], "out_indices": [2, 3, 4], **fields,
        })  # fmt: skip


class _ViT(_Config):
    model_type = "vit"

    def __init__(self, **fields: Any) -> None:
        super().__init__(**{"hidden_size": 384, "num_hidden_layers": 12, "num_attention_heads": 6, **fields})


def test_stage_channel_lists_shrink_with_the_stage_widths_and_the_image_channels_stay() -> None:
    tiny = shrink(_HGNet())
    # One factor (4: 48 is no multiple of 32) for every per-stage list; the stem's leading 3 is the image's.
    assert tiny["hidden_sizes"] == [64, 128, 256, 512]
    assert tiny["stem_channels"] == [3, 8, 12] and tiny["stage_in_channels"] == [12, 32, 128, 256]
    assert tiny["stage_out_channels"] == [32, 128, 256, 512]
    assert "stage_num_blocks" not in tiny  # a count per stage, no list of block indices (one per stage each)
    # No per-stage widths (PP-LCNetV4 builds its blocks from a table the shrink does not see): kept.
    table = shrink(_Config(num_channels=3, stem_channels=[3, 48, 96], stage_out_channels=[96, 96, 192, 384]))
    assert "stem_channels" not in table and "stage_out_channels" not in table


def test_a_detector_follows_its_backbone_stages_and_its_own_width() -> None:
    detector = _Config(
        d_model=256, encoder_hidden_dim=256, backbone_config=_HGNet(),
        encoder_in_channels=[512, 1024, 2048],  # the backbone's last three stages
        decoder_in_channels=[256, 256, 256],  # the encoder's outputs: d_model each
        x4_feat_dim=128,  # the backbone's first stage output
        num_queries=300,
    )  # fmt: skip
    tiny = shrink(detector)
    assert tiny["decoder_in_channels"] == [32, 32, 32]
    assert tiny["encoder_in_channels"] == [128, 256, 512] and tiny["x4_feat_dim"] == 32
    # A neck reading a ViT's width (Depth Anything's `reassemble_hidden_size` = its DINOv2's 384), not
    # the neck's own last width that happens to be the same number.
    neck = _Config(backbone_config=_ViT(), reassemble_hidden_size=384, neck_hidden_sizes=[48, 96, 192, 384])
    assert shrink(neck)["reassemble_hidden_size"] == 32


def test_a_backbone_selecting_several_layers_keeps_as_many() -> None:
    # DPT-like necks read 4 hidden states: 4 layers selected of a 12-layer ViT stay 4 (of 4 layers).
    tiny = shrink(_Config(backbone_config=_ViT(out_indices=[9, 10, 11, 12], out_features=["stage9"])))
    assert tiny["backbone_config"]["out_indices"] == [1, 2, 3, 4]
    assert tiny["backbone_config"]["num_hidden_layers"] == 4 and "out_features" not in tiny["backbone_config"]
    alone = shrink(_ViT(out_indices=[12], out_features=["stage12"]))  # its last layer: the default again
    assert alone["num_hidden_layers"] == 2 and "out_indices" not in alone and "out_features" not in alone


def test_hiera_stage_lists_and_block_indices_fit_the_tiny_stages() -> None:
    hiera = _Config(
        hidden_size=96, blocks_per_stage=[1, 2, 7, 2], embed_dim_per_stage=[96, 192, 384, 768],
        num_attention_heads_per_stage=[1, 2, 4, 8], global_attention_blocks=[5, 7, 9],
    )  # fmt: skip
    tiny = shrink(hiera)
    assert tiny["embed_dim_per_stage"] == [12, 24, 48, 96] and tiny["hidden_size"] == 12
    assert tiny["blocks_per_stage"] == [1, 2, 2, 2] and tiny["num_attention_heads_per_stage"] == [1, 2, 4, 4]
    # Blocks 2, 4, 6 of the third stage: its second (of 2) block, index 4; never a stage's first block.
    assert tiny["global_attention_blocks"] == [4]
    sam2 = shrink(_Config(backbone_config=hiera, backbone_channel_list=[768, 384, 192, 96]))
    assert sam2["backbone_channel_list"] == [96, 48, 24, 12]  # the neck reads the stages, last first


def test_channel_counts_equal_to_another_configs_width_follow_it() -> None:
    # SAM: the vision neck's `output_channels` feed the mask decoder (its `hidden_size` 256); the
    # sine/cosine positional features make one 256-wide embedding.
    sam = _Config(
        vision_config=_ViT(hidden_size=768, output_channels=256, num_pos_feats=128),
        mask_decoder_config=_Config(hidden_size=256, num_attention_heads=8),
    )
    tiny = shrink(sam)
    assert tiny["vision_config"]["output_channels"] == 32 and tiny["vision_config"]["num_pos_feats"] == 16


def test_the_fork_vision_configs_get_consistent_tiny_sizes(sdist_fork: Path) -> None:
    depth, why = dynamic_tiny(sdist_fork, "depth_anything", sys.executable)
    assert depth is not None, why
    backbone = depth["backbone_config"]
    assert backbone["out_indices"] == [1, 2, 3, 4] and backbone["num_hidden_layers"] == 4
    # The DINOv2 the config declares is built with `reshape_hidden_states=False`: a dict of the shrunk
    # sizes alone would get the default back (True) and the neck could not read the states.
    assert backbone["reshape_hidden_states"] is False
    rt_detr, why = dynamic_tiny(sdist_fork, "rt_detr", sys.executable)
    assert rt_detr is not None, why
    assert rt_detr["decoder_in_channels"] == [32, 32, 32] and rt_detr["encoder_in_channels"] == [8, 16, 32]
    sam, why = dynamic_tiny(sdist_fork, "sam", sys.executable)
    assert sam is not None, why
    assert sam["vision_config"]["output_channels"] == 32 and sam["vision_config"]["num_pos_feats"] == 16


def test_feature_map_sizes_follow_the_image_where_every_image_size_shrinks_alike() -> None:
    # SAM2: the Hiera's square image as a list, the neck's feature maps at strides 4, 8, 16 of it, a
    # prompt encoder with the same image (patch 16): 1024 -> 32 everywhere, the maps over 32 too.
    def sam2(prompt_image: int) -> _Config:
        hiera = _Config(hidden_size=96, image_size=[1024, 1024])
        vision = _Config(backbone_config=hiera, backbone_feature_sizes=[[256, 256], [128, 128], [64, 64]])
        return _Config(vision_config=vision, prompt_encoder_config=_Config(image_size=prompt_image, patch_size=16))

    tiny = shrink(sam2(1024))
    assert tiny["vision_config"]["backbone_config"]["image_size"] == [32, 32]
    assert tiny["vision_config"]["backbone_feature_sizes"] == [[8, 8], [4, 4], [2, 2]]
    assert tiny["prompt_encoder_config"]["image_size"] == 32
    # Image sizes shrinking by different ratios (2048 -> 32 is 64, not 32): no one ratio, maps kept.
    assert "backbone_feature_sizes" not in shrink(sam2(2048))["vision_config"]
    # A non-square image size (ViTPose's [256, 192]) is kept as it is.
    assert "image_size" not in shrink(_Config(image_size=[256, 192], patch_size=[16, 16]))


def test_a_pixel_shuffle_gets_the_patches_it_merges_per_side() -> None:
    # Granite Docling's vision tower merges 4 x 4 patches of 16 pixels: 32 pixels (2 patches) cannot be.
    assert shrink(_Config(image_size=512, patch_size=16, scale_factor=4))["image_size"] == 64
    assert shrink(_Config(image_size=512, patch_size=16))["image_size"] == 32


class _PerLayer(_Config):
    """A heterogeneous config (Gemma 4): reading a per-layer attribute globally raises (not AttributeError)."""

    def __getattribute__(self, name: str) -> Any:
        if name == "head_dim":
            raise RuntimeError("'head_dim' is a per-layer attribute")
        return super().__getattribute__(name)


def test_the_whole_model_walks_skip_per_layer_attributes() -> None:
    # The model-wide widths and image ratio walk every sub-config: a per-layer attribute must not stop them.
    text = _PerLayer(hidden_size=1536, head_dim=256)
    tiny = shrink(_Config(text_config=text, vision_config=_ViT(output_channels=1536)))
    assert tiny["text_config"]["hidden_size"] == 32 and tiny["vision_config"]["output_channels"] == 32


def test_a_codebook_width_is_no_channel_count_of_another_config() -> None:
    # X-Codec: its `codebook_dim` (1024) is its acoustic and semantic widths together, not its DAC's 1024.
    codec = _Config(
        acoustic_model_config=_Config(encoder_hidden_size=1024, decoder_hidden_size=1024), codebook_dim=1024
    )
    assert "codebook_dim" not in shrink(codec)


def test_a_timm_wrapper_keeps_no_switch_of_its_source() -> None:
    # FastVLM's vision config is a timm wrapper whose `architecture` ("fastvit_mci3") names a 123 M timm model:
    # the switches kept off a sub-config's defaults leave it out, so the wrapper's small default stays.
    from transformers_scaffold.like.shrink_composite import switches

    class _Timm(_Config):
        model_type = "timm_wrapper"

        def __init__(self, **fields: Any) -> None:
            super().__init__(**{"architecture": "resnet18", "global_pool": None, **fields})

    class _Plain(_Timm):
        model_type = "plain"

    assert switches(_Timm(architecture="fastvit_mci3", global_pool="avg")) == {}
    assert switches(_Plain(architecture="fastvit_mci3")) == {"architecture": "fastvit_mci3"}
