"""The base model of a shrunk config, built on the meta device: its size, or the error its init raises.

`shrink.py` measures its first pass with it (a large model gets the wider pass) and repairs sizes
the model's init rejects. Imports nothing of `transformers_scaffold`: it runs in the fork's interpreter.
"""

from __future__ import annotations

import json
from typing import Any


def _model_class(config_class: type) -> Any:
    """The base model class built on `config_class`: the registered one, else the first model class
    of the config's modeling module that declares it."""
    import importlib

    from transformers import PreTrainedModel
    from transformers.models.auto.modeling_auto import MODEL_MAPPING_NAMES

    module = importlib.import_module(config_class.__module__.replace(".configuration_", ".modeling_"))
    name = MODEL_MAPPING_NAMES.get(getattr(config_class, "model_type", ""))
    if isinstance(name, str) and hasattr(module, name):
        return getattr(module, name)
    for obj in vars(module).values():
        ours = isinstance(obj, type) and issubclass(obj, PreTrainedModel) and obj.__module__ == module.__name__
        if ours and obj.config_class is config_class and not obj.__name__.endswith("PreTrainedModel"):
            return obj
    return None


def build(config: Any) -> Any:
    """The base model of `config` on the meta device (raises what its init raises)."""
    import torch

    model_class = _model_class(type(config))
    if model_class is None:
        raise LookupError("no model class")  # not a check of the config: never repaired
    with torch.device("meta"):
        return model_class(config)


def parameters(config_class: type, kwargs: dict[str, Any]) -> int | None:
    """Parameters of the base model built from `kwargs` on the meta device; None when it does not build."""
    try:
        model = build(config_class(**json.loads(json.dumps(kwargs))))
        return sum(p.numel() for p in model.parameters())
    except Exception:  # no model class, a build error, a missing optional dependency
        return None
