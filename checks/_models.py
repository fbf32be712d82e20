"""Which models the "new model" rules look at (a helper of the catalogue, not a rule)."""

from __future__ import annotations

from transformers_scaffold.checker.context import MODELS_DIR, CheckContext


def models_to_check(ctx: CheckContext, root_dir: str) -> list[str]:
    """New packages in a `--changed` run; otherwise the targeted packages, but only when the
    repository has `root_dir` at all (the PyPI sdist ships no tests/models or docs: a
    whole-tree run there would report every one of its 500+ models)."""
    if ctx.changed is not None:
        return ctx.new_models()
    if not (ctx.root / root_dir).is_dir():
        return []
    return [m for m in ctx.target_models() if m not in ("auto", "deprecated")]


def anchor(ctx: CheckContext, module: str) -> str:
    """The file a finding about a whole model points at."""
    modeling = f"{MODELS_DIR}/{module}/modeling_{module}.py"
    return modeling if ctx.exists(modeling) else f"{MODELS_DIR}/{module}/__init__.py"
