from __future__ import annotations

import ast
from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.context import SourceFile


class ParseError(FileRule):
    """What it does
    Reports a Python file that does not parse, at the line Python's parser names.

    Why is this bad?
    Nothing else can judge a file that does not parse: every AST rule skips it, and the import
    of the module fails for every user. A broken file is a finding like any other, so `--format
    json` still writes its report (CI gets the findings file) instead of stopping the run.

    Example
    ```python
    def forward(self, hidden_states:
        return hidden_states
    ```

    Fix safety
    No automatic fix. Ruff's own `invalid-syntax` reports are folded into this rule, so the file
    is reported once.
    """

    CODE = "SCF003"
    NAME = "parse-error"
    SUMMARY = "Python file does not parse"
    SCOPE = "file"
    FILES = ("*.py",)

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        if source.tree is not None or not source.text:
            return
        try:
            ast.parse(source.text, filename=source.path)
        except SyntaxError as exc:
            yield self.finding(
                source.path,
                max(1, exc.lineno or 1),
                f"does not parse: {exc.msg}",
                col=max(1, exc.offset or 1),
                fix="fix the syntax error; no other rule can check this file until it parses",
            )
        except ValueError as exc:  # null bytes
            yield self.finding(source.path, 1, f"does not parse: {exc}", fix="remove the null bytes")
