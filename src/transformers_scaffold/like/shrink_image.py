"""Sizes tied to the input image, for `shrink.py`: a square image size given as a list, and the
spatial sizes of feature maps that the source writes out for its image.

The shrink sets every `image_size` to 32 rounded up to a multiple of the patch (42 for a 14-pixel
patch). A square one given as `[1024, 1024]` (SAM2's Hiera) gets the same, as a list; where the
config merges `scale_factor` x `scale_factor` patches (a pixel shuffle), at least that many per side. Feature-map
sizes (`*feature_sizes`: SAM2's `backbone_feature_sizes` = [[256, 256], [128, 128], [64, 64]], the
image over the strides 4, 8, 16) are divided by the image's own ratio, where the whole model shrinks
its image sizes by one whole ratio (1024 -> 32 in every sub-config: 32), so the maps still have the
sizes the model reads them at.

Imports nothing of `transformers_scaffold` (it runs in the fork's interpreter next to `shrink.py`).
"""

from __future__ import annotations

import re
from typing import Any

IMAGE = 32  # as shrink.py: the tiny image side, rounded up to a multiple of the patch
_FEATURE_SIZES = re.compile(r"feature_sizes$")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _side(value: Any) -> int | None:
    """The side of a square image size (an int, or [n, n]); None otherwise."""
    if _is_int(value):
        return value
    if isinstance(value, (list, tuple)) and len(value) == 2 and _is_int(value[0]) and value[0] == value[1]:
        return value[0]
    return None


def tiny_side(values: dict[str, Any]) -> int:
    """The tiny image side: IMAGE rounded up to a multiple of the (int) patch size, and at least the
    patches a pixel shuffle merges per side (`scale_factor`: Granite Docling's 4 of 16 pixels each)."""
    given: Any = values.get("patch_size")
    patch = given if _is_int(given) and given > 0 else 1
    scale: Any = values.get("scale_factor")
    return patch * max(-(-IMAGE // patch), scale if _is_int(scale) and scale > 1 else 1)


def ratio(tree: list[Any]) -> int | None:
    """The one whole ratio by which every image size of the configs of `tree` (a model's config and
    its sub-configs) shrinks; None where there is no image, where one stays, or where they differ."""
    found: set[int] = set()
    for config in tree:
        values = config.to_dict()
        side = _side(values.get("image_size"))
        if side is not None:
            tiny = tiny_side(values)
            found.add(side // tiny if side > IMAGE and side % tiny == 0 else 0)
    return found.pop() if len(found) == 1 and 0 not in found else None


def sizes(values: dict[str, Any], image_ratio: int | None) -> dict[str, Any]:
    """A square image size given as a list, at the tiny side; feature-map sizes over `image_ratio`."""
    out: dict[str, Any] = {}
    image: Any = values.get("image_size")
    if isinstance(image, (list, tuple)) and (side := _side(image)) is not None and side > IMAGE:
        out["image_size"] = [tiny_side(values)] * 2
    elif _is_int(image) and image > tiny_side(values) > IMAGE and _is_int(values.get("scale_factor")):
        out["image_size"] = tiny_side(values)  # the pixel shuffle's patches per side
    if not image_ratio:
        return out
    for key, value in values.items():
        if _FEATURE_SIZES.search(key) and isinstance(value, (list, tuple)) and value:
            flat = [v for level in value for v in (level if isinstance(level, (list, tuple)) else [level])]
            if flat and all(_is_int(v) and v % image_ratio == 0 for v in flat):
                out[key] = [
                    [v // image_ratio for v in level] if isinstance(level, (list, tuple)) else level // image_ratio
                    for level in value
                ]
    return out
