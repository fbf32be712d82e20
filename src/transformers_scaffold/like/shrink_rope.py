"""Multimodal RoPE sections for `shrink.py`: (t, h, w) sections rescaled to the tiny head.

Imports nothing of `transformers_scaffold` (it runs in the fork's interpreter next to `shrink.py`).
"""

from __future__ import annotations

import sys
from typing import Any

HIDDEN, HEADS = 32, 4  # as in shrink.py


def _modeling_reads(config: Any, key: str) -> bool:
    """Whether a modeling file beside the config's module reads `key` (`rope_parameters.get("mrope_section", ...)`)."""
    from pathlib import Path

    module = sys.modules.get(type(config).__module__)
    folder = Path(getattr(module, "__file__", None) or ".").parent
    return any(f'"{key}"' in path.read_text(errors="replace") for path in folder.glob("modeling_*.py"))


def takes_mrope(config: Any, rope: dict[str, Any]) -> bool:
    """Multimodal RoPE: sections in the config's rope parameters, or a default in the modeling code
    that the config declares (`ignore_keys_at_rope_validation = {"mrope_section"}`) or that the modeling
    code reads with a default of its own."""
    return (
        isinstance(rope.get("mrope_section"), list)
        or "mrope_section" in (getattr(type(config), "ignore_keys_at_rope_validation", None) or ())
        or _modeling_reads(config, "mrope_section")
    )


def mrope_sections(rope: dict[str, Any], values: dict[str, Any]) -> list[int]:
    """Multimodal RoPE sections (t, h, w) scaled to sum to half the tiny head's rotary dimension."""
    sections = [int(s) for s in rope.get("mrope_section") or (2, 3, 3)]  # the sources' defaults: 16, 24, 24
    factor = rope.get("partial_rotary_factor", values.get("partial_rotary_factor")) or 1.0
    half = int((HIDDEN // HEADS) * float(factor)) // 2
    exact = [s * half / max(1, sum(sections)) for s in sections]
    out = [int(e) for e in exact]
    for i in sorted(range(len(out)), key=lambda i: out[i] - exact[i])[: half - sum(out)]:
        out[i] += 1
    return out
