from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.astutil import keyword, string_value
from transformers_scaffold.checker.context import SourceFile

from ._common import MODELING

_DEV = r"[\"'](?:cuda|mps|xpu|npu)(?::\d+)?[\"']"
OFFLOAD = re.compile(r"offload|accelerator", re.IGNORECASE)
SUSPICIOUS = re.compile(rf"\.cuda\(\)|device\s*=\s*{_DEV}|\.to\(\s*{_DEV}|device\(\s*{_DEV}")


def _is_device(node: ast.AST | None) -> bool:
    value = string_value(node)
    return value is not None and (value == "cuda" or value.startswith("cuda:") or value in ("mps", "xpu", "npu"))


def _function_names(tree: ast.AST) -> dict[int, str]:
    """id(node) -> name of the innermost function around it ("" at module level)."""
    names: dict[int, str] = {}
    stack: list[tuple[ast.AST, str]] = [(tree, "")]
    while stack:
        node, current = stack.pop()
        for child in ast.iter_child_nodes(node):
            name = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else current
            names[id(child)] = name
            stack.append((child, name))
    return names


class HardCodedDevice(FileRule):
    """What it does
    Flags `.cuda()` calls and hard-coded device strings (`"cuda"`, `"cuda:0"`, `"mps"`, ...)
    passed to `.to(...)`, `torch.device(...)` or a `device=` argument in modeling code.

    Why is this bad?
    Models must run wherever their inputs live: CPU, several GPUs with `device_map`, TPUs. A
    hard-coded device breaks CPU users and multi-device placement. Use the input tensor's
    `.device`.

    Example
    ```python
    mask = torch.ones(shape, device="cuda")
    ```
    Write `device=hidden_states.device`.

    Calls inside an offload helper (`enable_cpu_offload`: its job is to move sub-models to the
    accelerator) are not flagged; `torch.device` is matched through the imports
    (`from torch import device`).

    Fix safety
    No automatic fix: which tensor's device to use is a judgement call. Comparisons such as
    `x.device.type == "cuda"` are not flagged.
    """

    CODE = "SCF207"
    NAME = "hard-coded-device"
    SUMMARY = ".cuda() or a hard-coded device in modeling code"
    FILES = MODELING

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        if not SUSPICIOUS.search(source.text):
            return
        if source.tree is None:
            return
        owner = _function_names(source.tree)
        imports = source.imports
        for node in source.calls:
            if OFFLOAD.search(owner.get(id(node), "")):
                continue  # placing sub-models on the accelerator is what an offload helper is for
            name = imports.call(node)
            hit = ""
            if isinstance(node.func, ast.Attribute) and node.func.attr == "cuda" and not node.args:
                hit = ".cuda()"
            elif (
                ((isinstance(node.func, ast.Attribute) and node.func.attr == "to") or name == "torch.device")
                and node.args
                and _is_device(node.args[0])
            ):
                hit = f"{string_value(node.args[0])!r} device"
            elif _is_device(keyword(node, "device")):
                hit = f"device={string_value(keyword(node, 'device'))!r}"
            if hit:
                yield self.finding(
                    source.path,
                    node.lineno,
                    f"hard-coded {hit}",
                    col=node.col_offset + 1,
                    fix="use the input tensor's .device",
                )
