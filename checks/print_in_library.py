from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.context import SourceFile

from ._common import LIBRARY, SCRIPTS

PRINT = re.compile(r"(?<![\w.])print\(")


class PrintInLibrary(FileRule):
    """What it does
    Flags `print(...)` calls in library code under `src/transformers/` (conversion scripts,
    `commands/` and `cli/` are exempt).

    Why is this bad?
    Library code talks through `logging.get_logger(__name__)`, which users can silence; a
    stray `print` is usually debugging left behind and spams every user's output.

    Example
    ```python
    print("shape", hidden_states.shape)
    ```
    Use `logger.info(...)` or remove it.

    Fix safety
    No automatic fix: the arguments may have side effects, and the right log level is a choice.
    Prints inside `if __name__ == "__main__":` blocks are skipped as scripts, and so are the
    helpers whose job is printing (`debug_utils`, `model_debugging_utils`, `testing_utils`,
    `utils/pytest_helpers`, `utils/attention_visualizer`, `generation/streamers`). Docstring
    examples (`>>> print(...)`) are strings, not calls, and never match.
    """

    CODE = "SCF312"
    NAME = "print-in-library"
    SUMMARY = "print() left in library code"
    SEVERITY = "warning"
    FILES = LIBRARY
    # Helpers whose job is printing (debug dumps, streamers, test reporting).
    EXCLUDE = SCRIPTS + (
        "src/transformers/debug_utils.py",
        "src/transformers/model_debugging_utils.py",
        "src/transformers/testing_utils.py",
        "src/transformers/utils/pytest_helpers.py",
        "src/transformers/utils/attention_visualizer.py",
        "src/transformers/generation/streamers.py",
    )

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        if not any(
            PRINT.search(line) and not line.lstrip().startswith((">>>", "...", "#"))
            for line in source.lines
            if "print(" in line
        ):
            return
        tree = source.tree
        if tree is None:
            return
        skip: set[int] = set()
        for stmt in tree.body:
            if isinstance(stmt, ast.If) and "__main__" in source.segment(stmt.test):
                skip.update(id(n) for n in ast.walk(stmt))
        for node in source.calls:
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "print"
                and id(node) not in skip
            ):
                yield self.finding(
                    source.path,
                    node.lineno,
                    "print() in library code",
                    col=node.col_offset + 1,
                    fix="use logger.info(...) or remove it",
                )
