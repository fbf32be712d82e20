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

    Also flags a new file whose header names a `modular_*.py` that does not exist (a model
    copied from another one, header and all).

    Example
    A diff touching `modeling_mistral.py` while `modular_mistral.py` is untouched.

    Fix safety
    No automatic fix: move the change into the modular file. Silent outside `--changed`
    (without a diff there is nothing to compare).
    """

    CODE = "SCF301"
    MIRRORS = "utils/check_modular_conversion.py"
    NAME = "generated-file-edited"
    SUMMARY = "generated file edited without its modular_*.py"
    SCOPE = "file"
    NEEDS_CHANGES = True

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for path in ctx.files:
            if not path.endswith(".py") or not ctx.is_changed(path):
                continue
            modular = generated_from(ctx.source(path))
            if modular is None:
                continue
            if ctx.is_new(path):
                if not ctx.exists(modular):
                    head = ctx.source(path).lines[:8]
                    line = next((i for i, t in enumerate(head, 1) if "automatically generated" in t), 1)
                    yield self.finding(
                        path,
                        line,
                        f"claims to be generated from {modular.rsplit('/', 1)[-1]}, which does not exist",
                        fix="add the modular file, or drop the generated-file header",
                    )
                continue
            if ctx.is_changed(modular):
                continue
            lines = first_changed(ctx, path)
            yield self.finding(
                path,
                lines[0],
                f"generated from {modular.rsplit('/', 1)[-1]}, which this change does not touch",
                fix=f"make the edit in {modular} and regenerate",
            )
