"""Which models the "new model" rules look at (a helper of the catalogue, not a rule)."""

from __future__ import annotations

from collections.abc import Callable

from transformers_scaffold.checker.context import MODELS_DIR, CheckContext


def models_to_check(ctx: CheckContext, covered: Callable[[str], bool], root_dir: str) -> list[str]:
    """Which models the "new model needs X" rules look at.

    - `--changed`: the model packages the change adds.
    - explicit paths: the packages named, when the repository has `root_dir` at all.
    - whole tree: every package, but only when most packages (>= half) are `covered`: the PyPI
      sdist (no `tests/models/`, no `docs/`) and forks built from it (stand-in test folders
      only) would otherwise report each of their 500+ models.
    """
    if ctx.changed is not None:
        return ctx.new_models()
    if not (ctx.root / root_dir).is_dir():
        return []
    models = [m for m in ctx.target_models() if m not in ("auto", "deprecated")]
    if ctx.whole_tree and models and sum(map(covered, models)) * 2 < len(models):
        return []
    return models


def anchor(ctx: CheckContext, module: str) -> str:
    """The file a finding about a whole model points at."""
    modeling = f"{MODELS_DIR}/{module}/modeling_{module}.py"
    return modeling if ctx.exists(modeling) else f"{MODELS_DIR}/{module}/__init__.py"
