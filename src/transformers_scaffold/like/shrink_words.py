"""The wider pass of `shrink.py`: which fields a name's words say are sizes, and per-stage widths scaled.

Imports nothing of `transformers_scaffold` (it runs in the fork's interpreter next to `shrink.py`).
"""

from __future__ import annotations

import re

HIDDEN = 32  # as in shrink.py

_WIDTH_WORDS = {"dim", "dims", "size", "sizes", "channels", "width", "widths", "emb", "embd", "latents", "hidden",
                "features", "filters", "units", "dimension", "channel"}  # fmt: skip
_NOT_WIDTH_WORDS = {"patch", "kernel", "image", "window", "stride", "strides", "sample", "samples", "sampling",
                    "chunk", "batch", "pool", "pooling", "rate", "ratio", "frame", "frames", "mel", "bins", "step",
                    "position", "positions", "seq", "length", "context", "cache", "group", "groups", "head", "heads",
                    "layers", "num", "max", "min", "rope", "rotary", "spatial", "temporal", "resolution", "token",
                    "id", "idx", "index", "audio", "hop", "fft", "shape"}  # fmt: skip


def wide(key: str) -> str:
    """ "vocab", "width" or "" for a field's name, by its words (the second pass of `shrink`)."""
    words = set(key.lower().strip("_").split("_"))
    if "vocab" in words or key in ("codebook_size", "num_embeddings"):
        return "vocab"
    if words & _NOT_WIDTH_WORDS:
        return ""
    return "width" if words & _WIDTH_WORDS or re.match(r"^d_[a-z]+$", key) else ""


def scaled(value: list[int]) -> list[int]:
    """Per-stage widths ([256, 512, 1024, 2048]) scaled down together to start at 16, ratios kept."""
    factor = min(value) // 16
    if factor > 1 and all(v % factor == 0 for v in value):
        return [v // factor for v in value]
    return [min(v, HIDDEN) for v in value]
