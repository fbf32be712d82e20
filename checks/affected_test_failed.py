from __future__ import annotations

from collections.abc import Iterator

from transformers_scaffold.checker.affected import run_affected_tests
from transformers_scaffold.checker.api import Finding, Rule
from transformers_scaffold.checker.context import CheckContext


class AffectedTestFailed(Rule):
    """What it does
    With `--tests`, runs pytest on exactly the tests the checked change affects and reports each
    failure: a file under `tests/` is itself affected; a file of model package `<m>` affects
    `tests/models/<m>/`; any other library module affects the test files that mention its
    module path (`transformers.modeling_utils` or `modeling_utils`).

    Why is this bad?
    A change that breaks its own model's tests (or a shared module's users) should fail before
    the push, not an hour later in CI.

    Example
    `scaffold check --changed --tests` after editing `modeling_acme.py` runs
    `tests/models/acme/` and reports `test_forward` failing.

    Fix safety
    No automatic fix. The import scan is textual: dynamic imports are missed.
    """

    CODE = "SCF401"
    NAME = "affected-test-failed"
    SUMMARY = "a test affected by the change fails (only with --tests)"
    SCOPE = "file"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        if not ctx.run_tests:
            return
        for path, line, message in run_affected_tests(ctx):
            yield self.finding(path, line, message, fix=f"pytest {path}")
