from __future__ import annotations

from collections.abc import Iterator

from transformers_scaffold.checker.api import Finding, Rule
from transformers_scaffold.checker.context import CheckContext
from transformers_scaffold.checker.repo import first_changed, generated_from


class ModularNotRegenerated(Rule):
    """What it does
    In a `--changed` run, flags a changed `modular_<name>.py` when none of the files generated
    from it (those whose header names it) changed too.

    Why is this bad?
    The modular file is the source, but the library imports the generated `modeling_*.py`:
    the change has no effect until the converter runs, and CI fails on the stale output.

    Example
    A diff touching `modular_mistral.py` only.

    Fix safety
    No automatic fix: run `python utils/modular_model_converter.py --files <modular file>`.
    Silent outside `--changed`.
    """

    CODE = "SCF314"
    MIRRORS = "utils/check_modular_conversion.py"
    NAME = "modular-not-regenerated"
    SUMMARY = "modular_*.py changed but its generated files did not"
    SCOPE = "file"
    SEVERITY = "warning"
    NEEDS_CHANGES = True

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for path in ctx.files:
            name = path.rsplit("/", 1)[-1]
            if not (name.startswith("modular_") and name.endswith(".py") and ctx.is_changed(path)):
                continue
            folder = ctx.root / path.rsplit("/", 1)[0]
            siblings = [f"{path.rsplit('/', 1)[0]}/{p.name}" for p in sorted(folder.glob("*.py")) if p.name != name]
            generated = [s for s in siblings if generated_from(ctx.source(s)) == path]
            if generated and not any(ctx.is_changed(s) for s in generated):
                lines = first_changed(ctx, path)
                yield self.finding(
                    path,
                    lines[0],
                    f"{name} changed but {', '.join(g.rsplit('/', 1)[-1] for g in generated)} did not",
                    fix=f"regenerate: python utils/modular_model_converter.py --files {path}",
                )
