"""Cheap "could this rule fire here at all?" tests for two costly transformers-mlinter rules.

TRF021 (scalar `torch.tensor(x, device=...)`) walks every function of a modeling file with its own
generators and TRF014 (`trust_remote_code` passed on) visits every node with an
`ast.NodeVisitor`: together about a third of the linter's time, for rules that fire on almost no
file. Each guard asks the question the rule's findings all need a yes to, over the file's one
shared walk (`shared_walks`): TRF021 reports only a call that its own candidate test accepts
(`torch.tensor` with positional arguments and a `device=` that is not the host, the same three
helper functions), TRF014 only a call with a `trust_remote_code=` keyword or a `**` argument
that is a dict display or call. Where no node of the tree passes, the rule would report nothing
and is skipped; elsewhere the rule runs as it is. A guard is used only when the rule's `check`
is the one it was written against (the digest of its source text).
`tests/checker/test_mlinter_guards.py` runs both rules on real files and on samples that fire.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Callable
from typing import Any

from transformers_scaffold.checker.mlinter_walkers import source_digest

Guard = Callable[[ast.Module], bool]


def _trf021(module: Any) -> Guard:
    tensor_call, device_of, on_host = module._is_torch_tensor_call, module._device_keyword, module._is_cpu_device

    def could_fire(tree: ast.Module) -> bool:
        for node in module.ast.walk(tree):  # the shared walk inside `shared_walks()`
            if tensor_call(node) and node.args:
                device = device_of(node)
                if device is not None and not on_host(device):
                    return True
        return False

    return could_fire


def _trf014(module: Any) -> Guard:
    def could_fire(tree: ast.Module) -> bool:
        for node in module.ast.walk(tree):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "trust_remote_code" or (
                        keyword.arg is None and isinstance(keyword.value, (ast.Dict, ast.Call))
                    ):
                        return True
        return False

    return could_fire


# rule id -> (its module, the guard's builder, the names whose source the guard was written
# against, the digest of those sources)
GUARDS: dict[str, tuple[str, Callable[[Any], Guard], tuple[str, ...], str]] = {
    "TRF021": ("trf021", _trf021, ("check",), "e5087a778519b034"),
    "TRF014": ("trf014", _trf014, ("check", "TrustRemoteCodeVisitor"), "a26e5d5691660f46:642ab0dd1d31a6ee"),
}
_BUILT: dict[int, dict[str, Guard]] = {}


def sources_digest(module: Any, names: tuple[str, ...]) -> str:
    return ":".join(source_digest(getattr(module, name, None)) for name in names)


def guards(linter: Any) -> dict[str, Guard]:
    """The guards that apply to the loaded linter (its rules' sources as expected), built once."""
    built = _BUILT.get(id(linter))
    if built is None:
        built = {}
        for rule_id, (name, builder, names, digest) in GUARDS.items():
            try:
                module = importlib.import_module(f"{linter.__name__}.{name}")
            except ImportError:
                continue
            if sources_digest(module, names) != digest:
                continue  # another linter version: the rule always runs
            built[rule_id] = builder(module)
        _BUILT[id(linter)] = built
    return built
