"""Config fields of a configuration class: 5.x typed class attributes, or old-style __init__ args."""

from __future__ import annotations

import ast

from transformers_scaffold.checker.astutil import dotted, method

# Class-level settings of PreTrainedConfig, not user-facing fields.
NOT_FIELDS = {
    "model_type",
    "sub_configs",
    "keys_to_ignore_at_inference",
    "attribute_map",
    "base_config_key",
    "base_model_tp_plan",
    "base_model_pp_plan",
    "base_model_ep_plan",
    "has_no_defaults_at_init",
}


def config_fields(cls: ast.ClassDef) -> list[tuple[str, int]]:
    fields = []
    for stmt in cls.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            name = stmt.target.id
            if (
                name.startswith("_")
                or name in NOT_FIELDS
                or any(dotted(n).endswith("ClassVar") for n in ast.walk(stmt.annotation))
            ):
                continue
            fields.append((name, stmt.lineno))
    if fields:
        return fields
    init = method(cls, "__init__")
    if init is None:
        return []
    args = init.args.args[1:] + init.args.kwonlyargs
    return [(a.arg, a.lineno) for a in args if not a.arg.startswith("_")]
