"""Example forward inputs from a model's input recipe (`ModelSpec.example_inputs`) and its built config.

The recipe (chosen at scaffold time by `like/inputs.py` from the rows of `facts/inputs.py`) names
each argument, its kind and its shape in config fields; this module only reads those fields from
the config (the recipe's sub-configs first) and makes the tensors. It knows no argument or model
names. `candidates` yields one input dict per layout alternative (most recipes have one): the
caller runs the forward on each until one is accepted. This file imports nothing of
`transformers_scaffold` (the sweep's child process and generated tests can use it as is).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# Token ids that text keeps; the config's other `*_token_id`/`*_token_index` values are placeholders
# (image, audio, video tokens) that random ids must not hit.
KEPT_TOKEN_IDS = (
    "pad_token_id",
    "bos_token_id",
    "eos_token_id",
    "decoder_start_token_id",
    "sep_token_id",
    "cls_token_id",
)


def _field(configs: list[Any], names: str) -> int:
    fields, _, default = names.partition("=")
    factor = 1
    if "*" in fields:
        head, fields = fields.split("*", 1)
        factor = int(head)
    for config in configs:
        for name in fields.split("|"):
            name, _, index = name.partition("@")
            value = getattr(config, name, None)
            if isinstance(value, (list, tuple)) and value:
                value = value[min(int(index or 0), len(value) - 1)]
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                return factor * value
    return factor * int(default or 1)


def dim(value: Any, configs: list[Any], batch: int, seq: int) -> int:
    """One dimension of a recipe shape (see `facts/inputs.py`) resolved against `configs`."""
    if isinstance(value, int):
        return value
    if isinstance(value, list):
        out = 1
        for part in value:
            out *= dim(part, configs, batch, seq)
        return out
    if value == "batch":
        return batch
    if value == "seq":
        return seq
    if "+" in str(value):  # a sum: a lagged series' context plus its largest lag
        return sum(_field(configs, part) for part in str(value).split("+"))
    return _field(configs, str(value))


def _configs(config: Any, names: list[str]) -> list[Any]:
    """Where a shape's fields are read: the sub-configs the row names, the config, then its other
    sub-configs (FastSpeech2-with-HiFi-GAN's vocabulary is its `model_config`'s)."""
    subs = [getattr(config, n, None) for n in names]
    others = [getattr(config, n, None) for n in getattr(config, "sub_configs", None) or {} if n not in names]
    found = [c for c in subs if c is not None and not isinstance(c, dict)] + [config]
    return found + [c for c in others if c is not None and not isinstance(c, dict) and hasattr(c, "to_dict")]


def _placeholders(config: Any) -> set[int]:
    values = dict(config.to_dict()) if hasattr(config, "to_dict") else {}
    text = config.get_text_config() if hasattr(config, "get_text_config") else None
    if text is not None and text is not config:
        values.update(text.to_dict())
    return {
        v
        for k, v in values.items()
        if isinstance(v, int)
        and not isinstance(v, bool)
        and k not in KEPT_TOKEN_IDS
        and (k.endswith("_token_index") or k.endswith("_token_id"))
    }


def tensor(entry: dict[str, Any], shape: list[Any], config: Any, batch: int = 2, seq: int = 8) -> Any:
    """The value of one recipe entry in layout `shape`."""
    import torch

    configs = _configs(config, list(entry.get("configs", ())))
    kind = entry["kind"]
    if kind == "const":
        return entry.get("value")
    size = [dim(d, configs, batch, seq) for d in shape]
    if kind == "ones":
        return torch.ones(size, dtype=torch.long)
    if kind == "zeros":
        return torch.zeros(size, dtype=torch.long)
    if kind == "false":  # a boolean mask that masks nothing (True marks padding)
        return torch.zeros(size, dtype=torch.bool)
    if kind == "float":
        return torch.randn(size)
    if kind == "grid":  # [count, t, h, w] -> count rows of [t, h, w]
        return torch.tensor([size[1:]] * size[0], dtype=torch.long)
    if kind == "boxes":  # valid (x0, y0, x1, y1) boxes within 0..1000
        corners = torch.randint(0, 500, (*size[:-1], 2))
        return torch.cat([corners, corners + torch.randint(0, 500, (*size[:-1], 2))], dim=-1)
    high = dim(entry.get("high", "vocab_size=99"), configs, batch, seq)
    low = min(3, high - 1)
    ids = torch.randint(low, high, size)
    for special in _placeholders(config):
        replacement = next(i for i in range(low, high) if i not in _placeholders(config) or high - low == 1)
        ids[ids == special] = replacement
    return ids


def candidates(recipe: list[dict[str, Any]], config: Any, batch: int = 2, seq: int = 8) -> Iterator[dict[str, Any]]:
    """Input dicts for the model's forward, one per layout alternative (the first is the recipe's own);
    entries marked `"optional"` join only in a second round over the layouts; then, where several are
    marked `"modality"`, each of those alone (without the other modalities), over the layouts."""
    count = max((len(e.get("shapes") or [[]]) for e in recipe), default=1)
    rounds: list[tuple[bool, str | None]] = [(False, None)]
    if any(e.get("optional") for e in recipe):
        rounds.append((True, None))
    alone = [e["name"] for e in recipe if e.get("modality")]
    rounds += [(False, name) for name in alone] if len(alone) > 1 else []
    for with_optional, only in rounds:
        for index in range(count):
            out = {}
            for entry in recipe:
                if entry.get("optional") and not with_optional:
                    continue
                if only is not None and entry.get("modality") and entry["name"] != only:
                    continue
                shapes = entry.get("shapes") or [[]]
                out[entry["name"]] = tensor(entry, shapes[min(index, len(shapes) - 1)], config, batch, seq)
            yield out
