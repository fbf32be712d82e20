from __future__ import annotations

from collections.abc import Iterator

from transformers_scaffold.checker.api import Finding, Rule
from transformers_scaffold.checker.context import CheckContext

from ._models import anchor, models_to_check


class NewModelWithoutTests(Rule):
    """What it does
    Checks that a model has `tests/models/<module>/test_modeling_<module>.py`. In a
    `--changed` run it checks the models the change adds; otherwise the checked models, and
    only when the repository has a `tests/models/` folder at all.

    Why is this bad?
    Upstream does not merge a model without tests; the common mixins are what prove that
    saving, loading, attention backends and training work.

    Example
    A PR adds `src/transformers/models/acme/` but no `tests/models/acme/`.

    Fix safety
    No automatic fix (`scaffold new-model` generates the tests). The PyPI sdist has no
    `tests/models/`, so a whole-tree run of the sdist reports nothing here, on purpose.
    """

    CODE = "SCF303"
    NAME = "new-model-without-tests"
    SUMMARY = "model without tests/models/<module>/test_modeling_<module>.py"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for module in models_to_check(ctx, "tests/models"):
            test = f"tests/models/{module}/test_modeling_{module}.py"
            if not ctx.exists(test):
                yield self.finding(
                    anchor(ctx, module),
                    1,
                    f"model {module!r} has no {test}",
                    fix="add the model tests (scaffold new-model generates them)",
                )
