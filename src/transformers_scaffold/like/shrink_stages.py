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
_WIDTHS = re.compile(r"^(hidden_sizes|embed_dims|\w+_hidden_sizes)$")
_DEPTHS = re.compile(r"^(depths|\w+_depths)$")
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


def stages(values: dict[str, Any]) -> dict[str, Any]:
    """The tiny per-stage widths and depths of `values`, and the single widths tied to a stage."""
    widths = {k: v for k, v in values.items() if _WIDTHS.match(k) and _is_stages(v)}
    grouped = any("group" in k and _is_int(v) and v > 1 for k, v in values.items())
    div = 1 if grouped or not widths else factor([w for v in widths.values() for w in v])
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in widths and div > 1:
            out[key] = [v // div for v in value]
        elif _DEPTHS.match(key) and _is_stages(value):
            out[key] = [min(v, LAYERS) for v in value]
        elif div > 1 and _is_int(value) and _CHANNELS.search(key) and any(value in v for v in widths.values()):
            out[key] = value // div
        elif _CONV_DIMS.match(key) and _is_stages(value) and len(value) > 1 and min(value) >= 2 * HIDDEN:
            own = 1
            while min(value) // (own * 2) >= HIDDEN:
                own *= 2
            out[key] = [v // own for v in value]
    return out
