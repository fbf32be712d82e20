from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.context import SourceFile

from ._common import MODELING

PRINT = re.compile(r"^\s+print\(", re.MULTILINE)
BREAKING_METHODS = {"item", "tolist", "numpy"}


class GraphBreakInForward(FileRule):
    """What it does
    Flags `.item()`, `.tolist()`, `.numpy()` and `print(...)` inside a `forward` method.

    Why is this bad?
    Each one forces a device-to-host sync and a `torch.compile` graph break: the compiled
    model falls back to Python on every step (`_can_compile_fullgraph` fails) and GPU
    pipelines stall.

    Example
    ```python
    def forward(self, hidden_states):
        if hidden_states.abs().max().item() > 1e4: ...
    ```

    Fix safety
    No automatic fix: the tensor logic must be rewritten (`torch.where`, keeping values on
    device). Many upstream models still have data-dependent `.item()` in vision/audio
    forwards; the rule is a warning.
    """

    CODE = "SCF208"
    DUPLICATES = ("TRF056",)
    NAME = "graph-break-in-forward"
    SUMMARY = ".item()/.tolist()/.numpy()/print inside forward"
    SEVERITY = "warning"
    FILES = MODELING

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        text = source.text
        if not any(t in text for t in (".item()", ".tolist()", ".numpy()")) and not PRINT.search(text):
            return
        seen: set[int] = set()
        for node in (
            n
            for _, func in source.methods("forward", needles=(".item()", ".tolist()", ".numpy()", "print("))
            for n in ast.walk(func)
        ):
            if not isinstance(node, ast.Call) or id(node) in seen:
                continue
            seen.add(id(node))
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in BREAKING_METHODS and not node.args:
                what = f".{func.attr}()"
            elif isinstance(func, ast.Name) and func.id == "print":
                what = "print()"
            else:
                continue
            yield self.finding(
                source.path,
                node.lineno,
                f"{what} in forward breaks torch.compile graphs",
                col=node.col_offset + 1,
                fix="keep the value on device (torch.where, masks)",
            )
