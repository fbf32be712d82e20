from __future__ import annotations

import re
from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.context import SourceFile

from ._common import LIBRARY, SCRIPTS

CALL = re.compile(r"\b(?:eval|exec)\b")
BUILTINS = {"eval", "exec", "builtins.eval", "builtins.exec"}


class EvalExec(FileRule):
    """What it does
    Flags calls to the builtins `eval(...)` and `exec(...)` in library code.

    Why is this bad?
    Checkpoints and configs come from the Hub; evaluating a string derived from them runs
    arbitrary code on the user's machine. Upstream's review rules forbid both.

    Example
    ```python
    activation = eval(config.activation)
    ```
    Look the name up in a dict (`ACT2FN[config.hidden_act]`) instead.

    Calls are matched through the file's imports (`from builtins import eval as ev`,
    `import builtins; builtins.exec(...)`); a local `eval` imported from elsewhere is not the builtin.

    Fix safety
    No automatic fix. Method calls named `eval` (`model.eval()`) are not flagged.
    """

    CODE = "SCF305"
    NAME = "eval-exec"
    SUMMARY = "eval()/exec() in library code"
    FILES = LIBRARY
    EXCLUDE = SCRIPTS

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        hits = (
            line for line in source.lines if CALL.search(line) and not line.lstrip().startswith(("#", ">>>", "..."))
        )
        if next(hits, None) is None or source.tree is None:
            return
        imports = source.imports
        for node in source.calls:
            name = imports.call(node)
            if name in BUILTINS:
                yield self.finding(
                    source.path,
                    node.lineno,
                    f"{name.rsplit('.', 1)[-1]}() runs arbitrary code",
                    col=node.col_offset + 1,
                    fix="parse the value explicitly (a lookup table, ast.literal_eval, json)",
                )
