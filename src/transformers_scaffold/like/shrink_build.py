"""The base model of a shrunk config, built on the meta device: its size, or the error its init raises.

`shrink.py` measures its first pass with it (a large model gets the wider pass) and repairs sizes
the model's init rejects. Imports nothing of `transformers_scaffold`: it runs in the fork's interpreter.
"""

from __future__ import annotations

import json
from typing import Any


def _model_classes(config_class: type) -> list[Any]:
    """The base model class built on `config_class`: the registered one, else every model class of
    the config's modeling module that declares it (a composite's towers and heads)."""
    import importlib

    from transformers import PreTrainedModel
    from transformers.models.auto.modeling_auto import MODEL_MAPPING_NAMES

    module = importlib.import_module(config_class.__module__.replace(".configuration_", ".modeling_"))
    name = MODEL_MAPPING_NAMES.get(getattr(config_class, "model_type", ""))
    if isinstance(name, str) and hasattr(module, name):
        return [getattr(module, name)]
    found = []
    for obj in vars(module).values():
        ours = isinstance(obj, type) and issubclass(obj, PreTrainedModel) and obj.__module__ == module.__name__
        if ours and obj.config_class is config_class and not obj.__name__.endswith("PreTrainedModel"):
            found.append(obj)
    return found


def build(config: Any) -> Any:
    """The largest of the base models of `config` on the meta device; raises what the init of the
    first one raises when none builds."""
    import torch

    models, errors = [], []
    for model_class in _model_classes(type(config)):
        try:
            with torch.device("meta"):
                models.append(model_class(config))
        except Exception as exc:  # the model's own checks, a missing optional dependency
            errors.append(exc)
    if not models:
        raise errors[0] if errors else LookupError("no model class")  # LookupError: never repaired
    return max(models, key=lambda m: sum(p.numel() for p in m.parameters()))


def parameters(config_class: type, kwargs: dict[str, Any]) -> int | None:
    """Parameters of the base model built from `kwargs` on the meta device; None when it does not build."""
    try:
        model = build(config_class(**json.loads(json.dumps(kwargs))))
        return sum(p.numel() for p in model.parameters())
    except Exception:  # no model class, a build error, a missing optional dependency
        return None
