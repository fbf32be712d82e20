"""Codec stems for the wider pass of `shrink.py`: filters that double at every down-sampling stage.

A neural codec's encoder starts from `num_filters` channels and doubles them at each stage of its
`downsampling_ratios` / `upsampling_ratios` (EnCodec, Mimi, VibeVoice's acoustic tokenizer): its widest
stage is `num_filters * 2 ** stages`, 2048 for VibeVoice's 32 filters and 6 stages, whatever the tiny
hidden size. Where the model is still large after the first pass, the filters are cut so the widest
stage is at most `WIDEST` channels; the ratios (the hop length the audio is framed by) are kept.

Imports nothing of `transformers_scaffold` (it runs in the fork's interpreter next to `shrink.py`).
"""

from __future__ import annotations

import re
from typing import Any

WIDEST = 256  # 8 x the tiny hidden size (32)
_RATIOS = re.compile(r"^(\w+_)?ratios$")
_FILTERS = re.compile(r"^(num_filters|\w+_filters)$")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def filters(values: dict[str, Any]) -> dict[str, Any]:
    """The stem filters of `values` cut to keep the widest stage at most `WIDEST`; {} without ratios."""
    stages = max(
        (len(v) for k, v in values.items() if _RATIOS.match(k) and isinstance(v, (list, tuple)) and v),
        default=0,
    )
    if not stages:
        return {}
    cap = max(1, WIDEST >> stages)
    return {k: cap for k, v in values.items() if _FILTERS.match(k) and _is_int(v) and v > cap}
