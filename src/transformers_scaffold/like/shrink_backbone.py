"""Backbones for `shrink.py`: the parent's channel fields that name its backbone's stage widths, and
a timm backbone replaced by the config's declared default (`without_timm`).

A detector or segmenter sizes its own layers by the channels of the backbone stages it reads:
RT-DETR's `encoder_in_channels` = [512, 1024, 2048] (ResNet's last three `hidden_sizes`),
PP-DocLayoutV3's `x4_feat_dim` = 128 (HGNetV2's first `stage_out_channels`), Depth Anything's
`reassemble_hidden_size` = 384 (its DINOv2's `hidden_size`). Where the backbone's per-stage width
lists or its width were shrunk, each source width maps to its tiny one, entry by entry, and a
parent's channel field whose every value is such a width follows the map. A field the parent's own
width rules set (`decoder_in_channels` = `d_model` each) is left to them; one the per-stage rule
gave a single width (384 is also the neck's last width) follows the backbone instead.

Imports nothing of `transformers_scaffold` (it runs in the fork's interpreter next to `shrink.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# A parent's field sized by a backbone stage: lists of channels, single channel counts and feature dims.
_LIST = re.compile(r"channel")  # `encoder_in_channels`, SAM2's `backbone_channel_list`
_SINGLE = re.compile(r"(_channels|_dim|hidden_size)$")
# The backbone's per-stage width lists (not `depths`: block counts), and its one width (a ViT's).
_STAGE_WIDTHS = re.compile(r"(hidden_sizes|embed_dims|channels|_dims?_per_stage)$")
_WIDTH = re.compile(r"^(hidden_size|embed_dim|d_model)$")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _widths(source: dict[str, Any], tiny: dict[str, Any]) -> dict[int, int]:
    """Source stage width -> tiny one, from the backbone's shrunk per-stage lists; a width mapped two
    ways is dropped (no consistent tiny value)."""
    found: dict[int, int] = {}
    clashes: set[int] = set()
    for key, new in tiny.items():
        old = source.get(key) if _STAGE_WIDTHS.search(key) or _WIDTH.match(key) else None
        if _is_int(old) and _is_int(new) and old != new:
            old, new = [old], [new]
        if not (isinstance(old, (list, tuple)) and isinstance(new, list) and len(old) == len(new) and old):
            continue
        if not all(_is_int(v) for v in [*old, *new]) or list(old) == new:
            continue
        for before, after in zip(old, new, strict=True):
            if found.setdefault(before, after) != after:
                clashes.add(before)
    return {k: v for k, v in found.items() if k not in clashes}


def follow(values: dict[str, Any], backbones: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    """The tiny value of each channel field of `values` that names stage widths of the backbones
    (`backbones`: each one's source fields and shrunk kwargs)."""
    widths: dict[int, int] = {}
    for source, tiny in backbones:
        widths.update(_widths(source, tiny))
    out: dict[str, Any] = {}
    for key, value in values.items():
        if _is_int(value) and _SINGLE.search(key) and value in widths:
            out[key] = widths[value]
        elif isinstance(value, (list, tuple)) and value and _LIST.search(key) and all(v in widths for v in value):
            out[key] = [widths[v] for v in value]
    return out


def without_timm(config: Any, key: str, sub: Any, is_config: Callable[[Any], bool]) -> Any:
    """A timm backbone sub-config (the timm library and a checkpoint name needed) replaced by the
    sub-config the config class declares as its default (`sub_configs_defaults`: DETR's ResNet)."""
    if not is_config(sub) or "timm" not in str(sub.model_type):
        return sub
    spec = (getattr(type(config), "sub_configs_defaults", None) or {}).get(key)
    declared = getattr(spec, "model_type", None)
    if not isinstance(declared, str) or "timm" in declared:
        return sub
    from transformers import AutoConfig

    return AutoConfig.for_model(declared, **(getattr(spec, "init_kwargs", None) or {}))
