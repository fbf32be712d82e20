"""Groups of heads that divide the shrunk head count, for `shrink.py` (Mamba-2's `n_groups`).

A state-space mixer shares its B/C projections between `n_groups` groups of its `num_heads` heads
(`repeat_interleave(heads // groups)`): Mamba-2's 8 groups of 128 heads. At the tiny 4 heads, 8 groups
leave 0 heads per group; the groups become the largest count dividing the tiny heads (gcd: 4).

Imports nothing of `transformers_scaffold` (it runs in the fork's interpreter next to `shrink.py`).
"""

from __future__ import annotations

import math
import re
from typing import Any

_GROUPS = re.compile(r"^((\w+_)?)n_groups$")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def groups(values: dict[str, Any]) -> dict[str, Any]:
    """`n_groups` (or `<prefix>n_groups`) fitted to the heads of the same prefix in `values` (shrunk ones)."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        match = _GROUPS.match(key)
        if match is None or not _is_int(value) or value <= 1:
            continue
        heads = next(
            (values[h] for h in (f"{match[1]}num_heads", f"{match[1]}n_heads") if _is_int(values.get(h))), None
        )
        if heads is not None and heads > 0 and heads % value:
            out[key] = math.gcd(value, heads)
    return out
