from __future__ import annotations

from collections.abc import Iterator

from transformers_scaffold.checker.api import Finding, Rule
from transformers_scaffold.checker.context import CheckContext
from transformers_scaffold.checker.repo import first_changed, generated_from


class GeneratedFileEdited(Rule):
    """What it does
    In a `--changed` run, flags edits to a file whose header says "This file was automatically
    generated from .../modular_<name>.py" when that `modular_<name>.py` did not change.

    Why is this bad?
    The next run of `utils/modular_model_converter.py` overwrites hand edits; upstream CI
    regenerates and fails the PR. Edit the modular file and regenerate instead.

    Example
    A diff touching `modeling_mistral.py` while `modular_mistral.py` is untouched.

    Fix safety
    No automatic fix: move the change into the modular file. Silent outside `--changed`
    (without a diff there is nothing to compare).
    """

    CODE = "SCF301"
    NAME = "generated-file-edited"
    SUMMARY = "generated file edited without its modular_*.py"
    NEEDS_CHANGES = True

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for path in ctx.files:
            if not path.endswith(".py") or ctx.is_new(path) or not ctx.is_changed(path):
                continue
            modular = generated_from(ctx.source(path))
            if modular is None or ctx.is_changed(modular):
                continue
            lines = first_changed(ctx, path)
            yield self.finding(
                path,
                lines[0],
                f"generated from {modular.rsplit('/', 1)[-1]}, which this change does not touch",
                fix=f"make the edit in {modular} and regenerate",
            )
