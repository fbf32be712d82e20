from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.astutil import call_name
from transformers_scaffold.checker.context import SourceFile

from ._common import MODELING

STACK = re.compile(r"Sequential\((?:[^()]|\([^()]*\))*?\*\s*[\[(]")


class SequentialLayerStack(FileRule):
    """What it does
    Flags a stack of repeated layers built as `nn.Sequential(*[Layer(...) for _ in ...])`.

    Why is this bad?
    Transformer layers take more than one input (masks, positions, cache), which
    `nn.Sequential` cannot pass; and `nn.ModuleList` is what gradient checkpointing, pipeline
    parallel plans (`base_model_pp_plan`) and per-layer hooks expect. Upstream review asks
    for `nn.ModuleList`.

    Example
    ```python
    self.layers = nn.Sequential(*[AcmeLayer(config) for _ in range(config.num_hidden_layers)])
    ```
    Write `nn.ModuleList([AcmeLayer(config) for _ in range(...)])` and loop in `forward`.

    Fix safety
    No automatic fix: `forward` must then iterate the layers. Small fixed `nn.Sequential`
    blocks (an MLP of two linears) are fine and not flagged.
    """

    CODE = "SCF211"
    DUPLICATES = ("TRF036",)
    NAME = "sequential-layer-stack"
    SUMMARY = "layer stack built with nn.Sequential instead of nn.ModuleList"
    SEVERITY = "warning"
    FILES = MODELING

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        if not STACK.search(source.text) or source.tree is None:
            return
        for node in source.calls:
            if isinstance(node, ast.Call) and call_name(node).endswith("Sequential"):
                for arg in node.args:
                    if isinstance(arg, ast.Starred) and isinstance(arg.value, (ast.ListComp, ast.GeneratorExp)):
                        yield self.finding(
                            source.path,
                            node.lineno,
                            "repeated layers in nn.Sequential",
                            col=node.col_offset + 1,
                            fix="use nn.ModuleList and loop in forward",
                        )
