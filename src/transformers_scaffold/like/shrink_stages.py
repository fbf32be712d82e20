"""Per-stage sizes of vision backbones for `shrink.py` (ConvNeXt's `hidden_sizes`, `depths`), and the channel
lists of convolution stacks (Wav2Vec2's `conv_dim`).

Widths are divided by one power of two, the same for every stage, so the ratios between the stages
and the single widths a stage is built from (TextNet's stem = its first stage) stay whole; each stays
a multiple of the tiny head count and the widest at least the tiny width. Not where group sizes
divide them (RegNet's `groups_width`, BiT): those keep the source's widths. Always lists: ConvNeXt's
default tuple breaks its own backbone's `[first] + hidden_sizes`. Blocks per stage (`depths`) are
capped at the tiny layer count.

Imports nothing of `transformers_scaffold` (it runs in the fork's interpreter next to `shrink.py`).
"""

from __future__ import annotations

import re
from typing import Any

HIDDEN, HEADS, LAYERS = 32, 4, 2  # as in shrink.py
_WIDTHS = re.compile(r"^(hidden_sizes|embed_dims|\w+_hidden_sizes|\w+_dims?_per_stage)$")
# Per-stage channel lists a stage is built from (HGNetV2's `stage_in_channels` / `stage_out_channels`,
# its `stem_channels` = [3, 32, 48]): divided with the widths, where the config has per-stage widths;
# a leading entry equal to `num_channels` is the image's, kept.
_STAGE_CHANNELS = re.compile(r"^(stem|stage)_\w*channels$")
_DEPTHS = re.compile(r"^(depths|\w+_depths|blocks_per_stage)$")
# Indices of blocks counted over all the stages; not a count of blocks (HGNetV2's `stage_num_blocks`).
_BLOCKS = re.compile(r"^(?!\w*num_)\w+_blocks$")
_HEADS = re.compile(r"^\w*heads_per_stage$")  # Hiera's [1, 2, 4, 8]: each divides its tiny stage width
_CHANNELS = re.compile(r"(_channels|_size|_dim)$")  # a single width a stage may be built from
# Channel lists of a convolution stack (Wav2Vec2's feature encoder `conv_dim`, its x-vector `tdnn_dim`): each
# list on its own, divided by the power of two that takes its narrowest to the tiny width.
_CONV_DIMS = re.compile(r"^\w+_dim$")


def _is_stages(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and bool(value) and all(_is_int(v) and v > 0 for v in value)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def factor(widths: list[int]) -> int:
    """The largest power of two that leaves every width a multiple of HEADS and the widest >= HIDDEN."""
    found = 1
    while all(v % (found * 2 * HEADS) == 0 for v in widths) and max(widths) // (found * 2) >= HIDDEN:
        found *= 2
    return found


def _image(key: str, value: list[int], values: dict[str, Any]) -> int:
    """How many leading entries of a channel list are the image's channels (1 or 0)."""
    return int(bool(_STAGE_CHANNELS.match(key)) and len(value) > 1 and value[0] == values.get("num_channels", 3))


def stages(values: dict[str, Any]) -> dict[str, Any]:
    """The tiny per-stage widths and depths of `values`, and the single widths tied to a stage."""
    widths = {k: list(v) for k, v in values.items() if _WIDTHS.match(k) and _is_stages(v)}
    if widths:  # with the widths only (PP-LCNetV4 computes its blocks' channels from a table: all kept)
        widths.update({k: list(v) for k, v in values.items() if _STAGE_CHANNELS.match(k) and _is_stages(v)})
    grouped = any("group" in k and _is_int(v) and v > 1 for k, v in values.items())
    divided = {k: v[_image(k, v, values) :] for k, v in widths.items()}
    div = 1 if grouped or not widths else factor([w for v in divided.values() for w in v])
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in widths and div > 1:
            kept = widths[key][: len(widths[key]) - len(divided[key])]
            out[key] = kept + [v // div for v in divided[key]]
        elif _DEPTHS.match(key) and _is_stages(value):
            out[key] = [min(v, LAYERS) for v in value]
        elif _HEADS.match(key) and _is_stages(value):
            out[key] = [1 << (min(v, HEADS).bit_length() - 1) for v in value]
        elif div > 1 and _is_int(value) and _CHANNELS.search(key) and any(value in v for v in divided.values()):
            out[key] = value // div
        elif _CONV_DIMS.match(key) and _is_stages(value) and len(value) > 1 and min(value) >= 2 * HIDDEN:
            own = 1
            while min(value) // (own * 2) >= HIDDEN:
                own *= 2
            out[key] = [v // own for v in value]
    out.update(_block_indices(values, out))
    return out


def _block_indices(values: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """Lists of block indices over all the stages (SAM2's Hiera: `global_attention_blocks` = [5, 7, 9],
    blocks 2, 4, 6 of its third stage), each moved to the same place of its stage in the tiny depths
    (its last block where the stage is shorter), so a block that is not its stage's first stays so."""
    found: dict[str, Any] = {}
    for name, depths in ((k, v) for k, v in values.items() if _DEPTHS.match(k) and _is_stages(v) and k in out):
        tiny = out[name]
        starts = [sum(depths[:i]) for i in range(len(depths))]
        tiny_starts = [sum(tiny[:i]) for i in range(len(tiny))]
        for key, value in values.items():
            if not (_BLOCKS.match(key) and isinstance(value, (list, tuple)) and value and key not in out):
                continue
            if not all(_is_int(i) and 0 <= i < sum(depths) for i in value):
                continue
            stage = [max(s for s in range(len(depths)) if starts[s] <= i) for i in value]
            moved = [tiny_starts[s] + min(i - starts[s], tiny[s] - 1) for s, i in zip(stage, value, strict=True)]
            found[key] = list(dict.fromkeys(moved))
    return found


def selection(values: dict[str, Any], out: dict[str, Any], layers: re.Pattern[str]) -> None:
    """A backbone whose stages are its layers (ViT-likes: `stage12` = layer 12), shrunk in `out`:
    a selection of one stage is dropped (the default, the last, then); one of N > 1 stages (DPT's
    necks read 4: `out_indices` = [9, 10, 11, 12]) keeps N layers and selects the last N, in `out`."""
    if not any(layers.match(k) for k in out):
        return
    chosen = values.get("out_indices")
    out.pop("out_features", None), out.pop("out_indices", None)
    if not isinstance(chosen, (list, tuple)) or len(chosen) < 2 or not all(_is_int(i) for i in chosen):
        return
    count = len(chosen) - (0 in chosen)  # the stem (stage 0) is no layer
    for key in [k for k, v in out.items() if layers.match(k) and _is_int(v) and _is_int(values.get(k))]:
        out[key] = max(out[key], min(count, values[key]))
    depth = max((v for k, v in out.items() if layers.match(k) and _is_int(v)), default=count)
    out["out_indices"] = list(range(depth - len(chosen) + 1, depth + 1))
