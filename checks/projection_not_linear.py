from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.astutil import dotted
from transformers_scaffold.checker.context import SourceFile

from ._common import MODELING

SUSPICIOUS = re.compile(r"\b(?:\w+\.)*(?:\w+Linear|Conv1D)\(|^class \w+\((?:\w+\.)*Linear\)", re.MULTILINE)
PROJECTION = re.compile(
    r"(_proj|^proj|^lm_head|^fc\d*|^c_attn|^c_proj|^c_fc|^query|^key|^value|^dense|^qkv|^out_proj)$"
)


def _linear_wrappers(source: SourceFile, linear_subclasses: set[str]) -> set[str]:
    """Local modules (not `nn.Linear` subclasses) whose `__init__` holds an exact `nn.Linear`:
    quantizers and PEFT see the inner layer (Gemma 4's `Gemma4ClippableLinear`, Moshi's `MoshiLinear`)."""
    candidates = {c.name for c in source.classes if c.name.endswith("Linear") and c.name not in linear_subclasses}
    found = set()
    for cls, init in source.methods("__init__", only=candidates, needles=("Linear(",)):
        if any(isinstance(n, ast.Call) and dotted(n.func) in ("nn.Linear", "torch.nn.Linear") for n in ast.walk(init)):
            found.add(cls.name)
    return found


class ProjectionNotLinear(FileRule):
    """What it does
    Flags projection layers (`q_proj`, `o_proj`, `lm_head`, `fc1`, `dense`, `c_attn`, ...)
    built from something other than `nn.Linear`: `Conv1D`, a class named `...Linear`, or a
    local subclass of `nn.Linear`.

    Why is this bad?
    Quantizers (bitsandbytes, quanto, torchao), LoRA/PEFT and tensor parallelism match
    `nn.Linear` exactly; bitsandbytes silently skips subclasses, so the layer stays in full
    precision and the memory savings disappear.

    Example
    ```python
    self.q_proj = AcmeLinear(config.hidden_size, config.hidden_size)
    ```

    A local wrapper module that holds an exact `nn.Linear` inside (Gemma 4's clippable linears,
    Moshi's `MoshiLinear`) is not flagged: quantizers and PEFT replace the inner layer.

    Fix safety
    No automatic fix. GPT-2 family models use `Conv1D` (transposed weights) for historical
    checkpoint compatibility; those findings are genuine and upstream keeps them.
    """

    CODE = "SCF210"
    NAME = "projection-not-linear"
    SUMMARY = "projection layer is not an exact nn.Linear"
    SEVERITY = "warning"
    FILES = MODELING

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        if not SUSPICIOUS.search(source.text):
            return
        linear_subclasses = {c.name for c in source.classes if "Linear" in c.bases}
        wrappers = _linear_wrappers(source, linear_subclasses)
        for _cls, init in source.methods("__init__"):
            for node in ast.walk(init):
                if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and len(node.targets) == 1):
                    continue
                target = node.targets[0]
                if not (
                    isinstance(target, ast.Attribute)
                    and dotted(target.value) == "self"
                    and PROJECTION.search(target.attr)
                ):
                    continue
                callee = dotted(node.value.func).rsplit(".", 1)[-1]
                if callee == "Linear" or callee in wrappers:
                    continue
                if callee == "Conv1D" or callee.endswith("Linear") or callee in linear_subclasses:
                    yield self.finding(
                        source.path,
                        node.lineno,
                        f"self.{target.attr} is a {callee}, not nn.Linear (quantizers skip it)",
                        col=node.col_offset + 1,
                        fix="use nn.Linear",
                    )
