from __future__ import annotations

from collections.abc import Iterator

from transformers_scaffold.checker.api import Finding, Rule
from transformers_scaffold.checker.context import CheckContext
from transformers_scaffold.checker.repo import MODELING_AUTO, exported, model_mappings, primary_model_type


class BaseModelMapping(Rule):
    """What it does
    For a model package whose modeling file exports `<Name>Model`, checks that the package's
    model type has an entry in `MODEL_MAPPING_NAMES` (`models/auto/modeling_auto.py`).

    Why is this bad?
    `AutoModel` cannot build the model, and the common `test_training*` tests treat the base
    model as a head and fail.

    Example
    `modeling_acme.py` exports `AcmeModel`, but `MODEL_MAPPING_NAMES` has no `"acme"` key.

    Fix safety
    No automatic fix (`scaffold new-model` writes the entry; upstream keeps the mapping sorted
    by hand).
    """

    CODE = "SCF103"
    NAME = "model-not-in-base-mapping"
    SUMMARY = "base model missing from MODEL_MAPPING_NAMES"
    SCOPE = "file"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        base = model_mappings(ctx).get("MODEL_MAPPING_NAMES")
        if base is None:
            return
        for module in ctx.target_models():
            model_type = primary_model_type(ctx, module)
            if module == "auto" or model_type is None or model_type in base:
                continue
            for source in ctx.model_files(module, "modeling_"):
                found = exported(source)
                if found is None:
                    continue
                names, all_line = found
                models = [n for n in names if n.endswith("Model") and not n.endswith("PreTrainedModel")]
                if models:
                    yield self.finding(
                        source.path,
                        all_line,
                        f"{models[0]} is exported but {model_type!r} is not in MODEL_MAPPING_NAMES",
                        fix=f'add ("{model_type}", "{models[0]}") to MODEL_MAPPING_NAMES in {MODELING_AUTO}',
                    )
                    break
