from __future__ import annotations

from collections.abc import Iterator

from transformers_scaffold.checker.api import Finding, Rule
from transformers_scaffold.checker.context import CheckContext

from ._models import anchor, models_to_check


def _test_path(module: str) -> str:
    return f"tests/models/{module}/test_modeling_{module}.py"


class NewModelWithoutTests(Rule):
    """What it does
    Checks that a model has `tests/models/<module>/test_modeling_<module>.py`. In a
    `--changed` run it checks the models the change adds; with paths, the models named; in a
    whole-tree run every model, but only when most models of the tree have tests (see below).

    Why is this bad?
    Upstream does not merge a model without tests; the common mixins are what prove that
    saving, loading, attention backends and training work.

    Example
    A PR adds `src/transformers/models/acme/` but no `tests/models/acme/`.

    Fix safety
    No automatic fix (`scaffold new-model` generates the tests). The PyPI sdist has no
    `tests/models/`, and forks built from it have stand-ins only: a whole-tree run reports
    nothing unless at least half of the models have tests, so those trees are not flooded with
    500+ findings; new models are caught by `--changed` (the pre-commit hook).
    """

    CODE = "SCF303"
    DUPLICATES = ("TRF038",)
    NAME = "new-model-without-tests"
    SUMMARY = "model without tests/models/<module>/test_modeling_<module>.py"
    SCOPE = "file"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for module in models_to_check(ctx, lambda m: ctx.exists(_test_path(m)), "tests/models"):
            test = _test_path(module)
            if not ctx.exists(test):
                yield self.finding(
                    anchor(ctx, module),
                    1,
                    f"model {module!r} has no {test}",
                    fix="add the model tests (scaffold new-model generates them)",
                )
