from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.astutil import call_name, dotted, keyword
from transformers_scaffold.checker.context import SourceFile

from ._common import MODELING

FACTORIES = {
    "torch.zeros",
    "torch.ones",
    "torch.empty",
    "torch.full",
    "torch.tensor",
    "torch.rand",
    "torch.randn",
    "torch.linspace",
    "torch.eye",
    "torch.zeros_like",
    "torch.ones_like",
    "torch.full_like",
    "torch.empty_like",
}
FLOAT32 = {"torch.float32", "torch.float"}
# A factory call with a float32 dtype, nested parentheses one level deep, across lines.
FACTORY_F32 = re.compile(r"torch\.\w+\((?:[^()]|\([^()]*\))*?dtype\s*=\s*torch\.float(?:32)?\b")


REASON = re.compile(r"#.*\b(?:float32|fp32|float|precision|upcast|overflow|stabilit|numeric)", re.IGNORECASE)


def _explained(source: SourceFile, node: ast.AST) -> bool:
    """A comment on the call's lines or in the comment block right above it that gives the reason
    (`# float32 for precision`): the upcast is deliberate."""
    first, last = node.lineno, getattr(node, "end_lineno", None) or node.lineno  # type: ignore[attr-defined]
    if any(REASON.search(source.line(n)) for n in range(first, last + 1)):
        return True
    above = first - 1
    while above > 0 and source.line(above).lstrip().startswith("#"):
        if REASON.search(source.line(above)):
            return True
        above -= 1
    return False


class Float32InForward(FileRule):
    """What it does
    Flags tensors created inside `forward` with a hard-coded `dtype=torch.float32`
    (`torch.zeros(..., dtype=torch.float32)`, `torch.tensor(..., dtype=torch.float)`).

    Why is this bad?
    Under bf16/fp16 (autocast or a half-precision model) the new tensor promotes everything it
    touches back to float32: memory doubles and the next matmul may raise a dtype mismatch.
    Create tensors with the input's dtype (`dtype=hidden_states.dtype`).

    Example
    ```python
    bias = torch.zeros(shape, dtype=torch.float32)
    ```

    `torch.arange` is not flagged: it builds position or coordinate grids, which need float32
    (bf16 cannot even count past 256) and are cast when they meet the activations (Idefics2 and
    Phi-4's patch coordinates). A factory call with a comment that says why (`# float32: the sin/cos table loses precision
    in bf16`, on its lines or in the comment block right above) is deliberate and not flagged.

    Fix safety
    No automatic fix. Deliberate upcasts of existing tensors (`x.to(torch.float32)` in
    RMSNorm, `.float()` in rotary embeddings) are numerically required and not flagged.
    """

    CODE = "SCF209"
    NAME = "float32-in-forward"
    SUMMARY = "hard-coded float32 tensor created in forward"
    SEVERITY = "warning"
    FILES = MODELING

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        if not FACTORY_F32.search(source.text) or (
            "torch.float32" not in source.text
            and "torch.float)" not in source.text
            and "torch.float," not in source.text
        ):
            return
        for node in (n for _, func in source.methods("forward", needles=("torch.float",)) for n in ast.walk(func)):
            if (
                isinstance(node, ast.Call)
                and call_name(node) in FACTORIES
                and dotted(keyword(node, "dtype")) in FLOAT32
                and not _explained(source, node)
            ):
                yield self.finding(
                    source.path,
                    node.lineno,
                    f"{call_name(node)}(..., dtype=float32) in forward",
                    col=node.col_offset + 1,
                    fix="use dtype=<input>.dtype",
                )
