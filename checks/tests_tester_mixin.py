from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

from transformers_scaffold.checker.api import Finding, Rule
from transformers_scaffold.checker.astutil import base_names, top_classes
from transformers_scaffold.checker.context import MODELS_DIR, CheckContext

# What upstream's `find_tested_models` accepts as "the common tests run": an `all_model_classes`
# tuple (in any class, a mixin too), or one of the testers that derive it.
_ALL_MODEL_CLASSES = re.compile(r"all_model_classes\s+=\s+\(")
_DERIVING_TESTERS = ("CausalLMModelTester", "VLMModelTester", "ALMModelTester")


def _has_tester(ctx: CheckContext, path: str) -> bool:
    """True when the file runs the common tests the way upstream's check_repo sees it (an
    `all_model_classes` tuple or a deriving tester), or some class inherits a model tester, or the
    file does not parse (not ours to judge)."""
    source = ctx.source(path)
    if _ALL_MODEL_CLASSES.search(source.text) or any(t in source.text for t in _DERIVING_TESTERS):
        return True
    tree = source.tree
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

    Like upstream's `find_tested_models`, a file that sets `all_model_classes = (...)` (in any
    class, a mixin such as `BackboneTesterMixin` or RAG's own) or uses `CausalLMModelTester`,
    `VLMModelTester` or `ALMModelTester` runs the common tests. Test files the fork's
    `utils/check_repo.py` lists in `TEST_FILES_WITH_NO_COMMON_TESTS`, modules its
    `get_model_modules` ignores (`_ignore_modules`: the encoder-decoder wrappers) and packages
    without a modeling file are exempt, as upstream's check exempts them.

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
        # Modules check_repo never looks at (`_ignore_modules`: encoder-decoder wrappers, auto).
        ignored = ctx.facts.check_repo_ignored_modules
        for module in ctx.target_models():
            path = f"tests/models/{module}/test_modeling_{module}.py"
            if not ctx.exists(path) or path.removeprefix("tests/") in allowed or f"modeling_{module}" in ignored:
                continue
            if not ctx.exists(f"{MODELS_DIR}/{module}/modeling_{module}.py"):
                continue  # no models to test (a processor-only package): upstream matches modeling modules
            # Parsing 500 test files costs seconds: the verdict is cached by the file's content.
            if ctx.fact(path, "has-tester-mixin", partial(_has_tester, ctx, path)):
                continue
            yield self.finding(
                path,
                1,
                f"{path} has no test class inheriting ModelTesterMixin",
                fix="add class <Name>ModelTest(ModelTesterMixin, unittest.TestCase) with all_model_classes",
            )
