from __future__ import annotations

from collections.abc import Iterator

from transformers_scaffold.checker.api import Finding, Rule
from transformers_scaffold.checker.context import CheckContext
from transformers_scaffold.checker.repo import MODELING_AUTO, exported, mapped_classes, model_mappings
from transformers_scaffold.facts.tasks import mappings_for_class


class HeadMapping(Rule):
    """What it does
    For every head class a modeling file exports (`...ForCausalLM`, `...ForSequenceClassification`,
    `...ForTokenClassification`, `...ForQuestionAnswering`, `...ForMaskedLM`, ...), checks that it
    is a value of the matching `MODEL_FOR_*_MAPPING_NAMES` in `modeling_auto.py`.

    Why is this bad?
    `AutoModelForCausalLM` and the pipelines cannot find the head; the pipeline tests and
    `pipeline_model_mapping` in the model tests skip or fail.

    Example
    `modeling_acme.py` exports `AcmeForCausalLM` but `MODEL_FOR_CAUSAL_LM_MAPPING_NAMES`
    has no `("acme", "AcmeForCausalLM")`.

    Fix safety
    No automatic fix. The head suffixes come from the task table (`facts/tasks.py`); composite
    heads (`ForConditionalGeneration`) map to several tasks and are left to review.
    """

    CODE = "SCF104"
    NAME = "head-not-in-task-mapping"
    SUMMARY = "head class missing from its MODEL_FOR_*_MAPPING_NAMES"
    SCOPE = "file"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        if not model_mappings(ctx):
            return
        for module in ctx.target_models():
            for source in ctx.model_files(module, "modeling_"):
                found = exported(source)
                if found is None:
                    continue
                names, all_line = found
                for name in names:
                    wanted = mappings_for_class(name)
                    if not wanted:
                        continue
                    # A variant task's mapping counts too: a zero-shot detector (OmDet-Turbo) sits in
                    # MODEL_FOR_ZERO_SHOT_OBJECT_DETECTION_MAPPING_NAMES, not the plain detection one.
                    variants = [
                        m for m in model_mappings(ctx) if any(m.endswith(w.removeprefix("MODEL_FOR")) for w in wanted)
                    ]
                    if not any(name in mapped_classes(ctx, m) for m in [*wanted, *variants]):
                        line = next(
                            (i for i, text in enumerate(source.lines, 1) if f'"{name}"' in text and i >= all_line),
                            all_line,
                        )
                        yield self.finding(
                            source.path,
                            line,
                            f"{name} is not in {wanted[0]}",
                            fix=f"add it to {wanted[0]} in {MODELING_AUTO}",
                        )
