"""Width relations of `shrink.py`, within one config and across the sub-configs of a composite one.

- `equal_to_width`: fields the source sets equal to its width (`upsample_groups` = `hidden_size` =
  512, a projection as wide as the model; RT-DETR's `decoder_in_channels` = `d_model` each) follow
  the width down: the relation holds at test size too.

- `switches`: the flags and choices (booleans, strings) the source sets off a sub-config class's
  defaults (Depth Anything's DINOv2 with `reshape_hidden_states=False`, CHMv2's extra
  `return_class_token`): a sub-config is rebuilt from its `model_type` and the shrunk fields, so
  without them it would get the defaults back. No sizes: those are the shrink's.
- `widths` / `outer`: a channel count of one sub-config equal to the width of another config of the
  model (SAM's vision `output_channels` = 256 = its prompt encoder's and mask decoder's
  `hidden_size`: the neck feeds them) follows the tiny width, as fields equal to a config's own width
  do; its sine/cosine positional features (`num_pos_feats` = 128), half a width, follow half of it.

Imports nothing of `transformers_scaffold` (it runs in the fork's interpreter next to `shrink.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# A field that is a count of channels or features, not a length, an index or a size of the input; not a
# quantizer's `codebook_dim` (X-Codec's is its two towers' widths together, whatever one width it equals).
_CHANNELS = re.compile(r"(_channels|_dim)$")
# Sine/cosine positional features: the two halves make one embedding as wide as the model.
_FOURIER = re.compile(r"pos\w*_feats$")
WIDE = 64  # only widths above it (small numbers coincide too often)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def switches(config: Any) -> dict[str, Any]:
    """The booleans and strings of `config` that differ from its class's defaults (or that the class
    does not declare: extra keywords the source gave). None of a timm wrapper's: its `architecture` names a
    timm model of a fixed size (FastVLM's `fastvit_mci3`, 123 M), which no shrink scales."""
    if "timm" in str(getattr(config, "model_type", "")):
        return {}
    try:
        defaults = type(config)().to_dict()
    except Exception:  # a config class that cannot be built without arguments
        return {}
    return {
        key: value
        for key, value in config.to_dict().items()
        if isinstance(value, (bool, str))
        and not key.startswith("_")
        and key not in ("model_type", "transformers_version", "dtype")
        and defaults.get(key, not value) != value
    }


def configs(config: Any, is_config: Callable[[Any], bool]) -> list[Any]:
    """`config` and every config nested in it (any name, lists and dicts of them too)."""
    found, todo = [], [config]
    while todo:
        current = todo.pop()
        found.append(current)
        for key in current.to_dict():
            try:  # heterogeneous configs raise on per-layer attributes read globally (Gemma 4's `head_dim`)
                attr = getattr(current, key, None)
            except Exception:
                continue
            nested = (
                list(attr.values()) if isinstance(attr, dict) else attr if isinstance(attr, (list, tuple)) else [attr]
            )
            todo += [v for v in nested if is_config(v)]
    return found


def widths(tree: list[Any], hidden: re.Pattern[str]) -> set[int]:
    """The widths (`hidden`-named int fields above WIDE) of the configs of `tree`."""
    return {
        value
        for config in tree
        for key, value in config.to_dict().items()
        if hidden.match(key) and _is_int(value) and value > WIDE
    }


def outer(values: dict[str, Any], done: dict[str, Any], model_widths: set[int], tiny: int) -> dict[str, Any]:
    """The channel counts of `values` (not in `done`) equal to a width of the model: `tiny` each; the
    Fourier positional features at half a width (SAM's `num_pos_feats`): half of it."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in done or not _is_int(value):
            continue
        if _CHANNELS.search(key) and "codebook" not in key and value in model_widths:
            out[key] = tiny
        elif _FOURIER.search(key) and 2 * value in model_widths:
            out[key] = tiny // 2
    return out


# Lengths along the sequence, not widths, whatever number they equal (Mistral's `sliding_window` = 4096 =
# its `hidden_size`): they never follow the width.
_SPAN = re.compile(r"position|window|length|seq|context|^max_")


def equal_to_width(
    values: dict[str, Any], out: dict[str, Any], put: Callable[[str, Any], None], hidden: re.Pattern[str],
    token: re.Pattern[str],
) -> None:  # fmt: skip
    """`put` the tiny width for each field of `values` (not in `out`) equal to a shrunk width
    (`hidden`-named, above WIDE), and for each list whose every entry is one; token ids excluded."""
    widths = {values[k]: v for k, v in out.items() if hidden.match(k) and _is_int(values.get(k)) and values[k] > WIDE}
    for key, value in values.items():
        if key in out or token.search(key) or _SPAN.search(key):
            continue
        if _is_int(value) and value in widths:
            put(key, widths[value])
        elif isinstance(value, (list, tuple)) and value and all(_is_int(v) and v in widths for v in value):
            put(key, [widths[v] for v in value])  # one per level, each as wide as the model
