"""Per-layer fields of `shrink.py`: lists, counts and overrides fitted to the tiny layer count.

`layer_types` keeps one layer of each kind (the source's last kind last: Gemma 3's full-attention
layer after its sliding ones), counts of some of the layers (`num_kv_shared_layers`) shrink with the
depth, and `per_layer_config` overrides move onto the tiny layer of the same kind.

Imports nothing of `transformers_scaffold` (it runs in the fork's interpreter next to `shrink.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Shrunk = Callable[[dict[str, Any]], dict[str, Any]]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def fit(
    values: dict[str, Any],
    accepted: set[str] | None,
    out: dict[str, Any],
    count: re.Pattern[str],
    shrunk: Shrunk,
    least: int = 0,
) -> None:
    """Per-layer lists, counts and overrides of `values` fitted to the tiny layer count in `out`
    (the first field matching `count`); `shrunk` shrinks the fields of one layer's override; a count of
    some of the layers scales to `least` at the fewest."""
    key = next((k for k, v in values.items() if count.match(k) and _is_int(v) and v > 0), None)
    if key is None:
        return
    source, tiny = values[key], out.get(key, values[key])
    types = values.get("layer_types")
    kinds = len(set(map(str, types))) if isinstance(types, list) and len(types) == source else 0
    if kinds > 1 and isinstance(types, list) and (accepted is None or "layer_types" in accepted):
        out["layer_types"] = layer_types(types, tiny)  # sliding and full, conv and attention: all kept
        tiny = out[key] = len(out["layer_types"])
    for name, value in values.items():  # a count of some of the layers (`num_kv_shared_layers`) that no longer fits
        if name.endswith("_layers") and name not in out and _is_int(value) and tiny <= value < source:
            if any(isinstance(v, (list, tuple)) and len(v) == value for v in values.values()):
                continue  # the length of per-layer lists of another stack (wav2vec2's 7 `conv_dim`): not ours
            out[name] = max(least, value * tiny // source)
    if isinstance(values.get("per_layer_config"), dict):
        tiny_types = out.get("layer_types")
        out["per_layer_config"] = per_layer(values["per_layer_config"], (source, tiny), types, tiny_types, shrunk)


def layer_types(types: list[Any], tiny: int) -> list[Any]:
    """One entry per tiny layer, every kind of the source's layers kept, the source's last kind last."""
    kinds = [t for i, t in enumerate(types) if t not in types[:i]]
    kinds = [t for t in kinds if t != types[-1]] + [types[-1]]
    return (kinds + [kinds[0]] * tiny)[: max(tiny, len(kinds))]


def per_layer(
    overrides: dict[Any, Any], counts: tuple[int, int], types: Any, tiny_types: Any, shrunk: Shrunk
) -> dict[int, Any]:
    """Layer-indexed overrides moved onto the tiny layers: the tiny layer of the same kind where the
    source has `layer_types`, else the layer at the same relative depth; sizes inside shrunk too."""
    source, tiny = counts
    out: dict[int, Any] = {}
    for key, value in overrides.items():
        if not str(key).lstrip("-").isdigit() or not isinstance(value, dict):
            continue
        index = int(key)
        if isinstance(types, list) and isinstance(tiny_types, list) and 0 <= index < len(types):
            if types[index] not in tiny_types:
                continue
            target = tiny_types.index(types[index])
        else:
            target = min(tiny - 1, max(0, index * tiny // max(1, source)))
        out.setdefault(target, shrunk(value))
    return out


def sliding(values: dict[str, Any]) -> bool:
    """Sliding-window layers in `layer_types`, or sizes of their own (`num_sliding_attention_heads`)."""
    sized = any("sliding" in k and k != "sliding_window" and _is_int(v) and v > 0 for k, v in values.items())
    return sized or any("sliding" in str(t) for t in values.get("layer_types") or ())
