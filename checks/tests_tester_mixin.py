from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from transformers_scaffold.checker.api import Finding, Rule
from transformers_scaffold.checker.astutil import base_names, top_classes
from transformers_scaffold.checker.context import CheckContext


def _has_tester(ctx: CheckContext, path: str) -> bool:
    """True when some class inherits a model tester (or the file does not parse: not ours to judge)."""
    tree = ctx.source(path).tree
    if tree is None:
        return True
    return any(
        b in ("ModelTesterMixin", "CausalLMModelTest") or b.endswith("ModelTest")
        for c in top_classes(tree)
        for b in base_names(c)
    )


class TestsTesterMixin(Rule):
    """What it does
    When `tests/models/<module>/test_modeling_<module>.py` exists, checks that it defines a test
    class inheriting `ModelTesterMixin` (directly or through `CausalLMModelTest`).

    Why is this bad?
    The mixin runs the ~400 common tests (save/load, attention backends, gradient
    checkpointing, training); a test file without it tests almost nothing, and upstream's
    repo check rejects models that are not run through it.

    Example
    ```python
    class AcmeModelTest(unittest.TestCase):  # ModelTesterMixin missing
        ...
    ```

    Test files the fork's `utils/check_repo.py` lists in `TEST_FILES_WITH_NO_COMMON_TESTS` are
    exempt, as upstream's check exempts them.

    Fix safety
    No automatic fix.
    """

    CODE = "SCF107"
    MIRRORS = "utils/check_repo.py (check_all_models_are_tested)"
    NAME = "tests-without-tester-mixin"
    SUMMARY = "model test file has no ModelTesterMixin test class"
    SCOPE = "file"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        # The fork's own `utils/check_repo.py` list of test files allowed to skip the common tests.
        allowed = ctx.facts.check_repo_lists.get("TEST_FILES_WITH_NO_COMMON_TESTS", frozenset())
        for module in ctx.target_models():
            path = f"tests/models/{module}/test_modeling_{module}.py"
            if not ctx.exists(path) or path.removeprefix("tests/") in allowed:
                continue
            # Parsing 500 test files costs seconds: the verdict is cached by the file's content.
            if ctx.fact(path, "has-tester-mixin", partial(_has_tester, ctx, path)):
                continue
            yield self.finding(
                path,
                1,
                f"{path} has no test class inheriting ModelTesterMixin",
                fix="add class <Name>ModelTest(ModelTesterMixin, unittest.TestCase) with all_model_classes",
            )
