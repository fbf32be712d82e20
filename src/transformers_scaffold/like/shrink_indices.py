"""Layer indices a config holds into a shrunk depth, for `shrink.py` (Molmo2's `vision_feature_layer`).

A multimodal adapter reads the outputs of given vision layers (`vision_feature_layer` = `[24, 18]`,
validated against the vision tower's depth). At the tiny depth those indices point past the last layer:
each index at or beyond it moves to the last layers, the deepest last, in the source's order
(`[24, 18]` -> `[1, 0]`). Negative indices (from the last layer) and those already inside stay.

Imports nothing of `transformers_scaffold` (it runs in the fork's interpreter next to `shrink.py`).
"""

from __future__ import annotations

import re
from typing import Any

LAYERS = 2  # as in shrink.py
_INDICES = re.compile(r"^(\w+_)?feature_layers?$")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _fit(indices: list[int], depth: int) -> list[int]:
    beyond = sorted({i for i in indices if i >= depth}, reverse=True)
    moved = {i: max(0, depth - 1 - rank) for rank, i in enumerate(beyond)}
    return [moved.get(i, i) for i in indices]


def indices(values: dict[str, Any], depth: int = LAYERS) -> dict[str, Any]:
    """The layer-index fields of `values` fitted into `depth` layers; those that fit are left out."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if not _INDICES.match(key):
            continue
        if _is_int(value) and value >= depth:
            out[key] = depth - 1
        elif isinstance(value, (list, tuple)) and value and all(_is_int(v) for v in value):
            fitted = _fit(list(value), depth)
            if fitted != list(value):
                out[key] = fitted
    return out
