"""TRF021's recursive walkers and their stack-based twins (checker/mlinter_walkers.py)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

pytest.importorskip("mlinter", reason="transformers-mlinter (the mlinter extra) is not installed")

MODELS = ("llama", "bert", "t5", "whisper", "mamba", "gemma3", "qwen2_5_omni", "deepseek_v3", "detr", "blip_2")

NESTED = """import torch
from torch import nn


class AcmePreTrainedModel(PreTrainedModel):
    config_class = AcmeConfig


class AcmeModel(AcmePreTrainedModel):
    def __init__(self, config):
        self.scale = 2.0

    def forward(self, x):
        def inner(y):
            class Local:
                def method(self):
                    return torch.tensor(3.0, device=y.device)  # expect: TRF021

            return torch.tensor(self.scale, device=y.device)  # expect: TRF021

        if x is not None:
            while True:
                return inner(x) + torch.tensor(1.0, device=x.device)  # expect: TRF021
"""


@pytest.fixture
def walkers(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """mlinter's own walkers, and the module with them in place (whatever an earlier test swapped)."""
    import mlinter.trf021 as trf021

    from transformers_scaffold.checker.mlinter_walkers import ORIGINALS, iter_body, iter_functions

    own_body = ORIGINALS.get("trf021._iter_body", trf021._iter_body)
    own_functions = ORIGINALS.get("trf021._iter_functions", trf021._iter_functions)
    assert own_body is not iter_body and own_functions is not iter_functions
    monkeypatch.setattr(trf021, "_iter_body", own_body)
    monkeypatch.setattr(trf021, "_iter_functions", own_functions)
    return trf021, own_body, own_functions


def _trees(sdist_fork: Path) -> list[ast.Module]:
    models = sdist_fork / "src" / "transformers" / "models"
    paths = [p for m in MODELS for p in sorted((models / m).glob("mod*_*.py"))]
    assert len(paths) >= len(MODELS)
    return [ast.parse(p.read_text()) for p in paths] + [ast.parse(NESTED)]


def test_twins_yield_what_mlinters_walkers_yield(sdist_fork: Path, walkers) -> None:  # type: ignore[no-untyped-def]
    from transformers_scaffold.checker.mlinter_walkers import iter_body, iter_functions

    _, own_body, own_functions = walkers
    functions = 0
    for tree in _trees(sdist_fork):
        pairs = list(own_functions(tree))
        assert list(iter_functions(tree)) == pairs
        for node in [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.ClassDef))]:
            assert list(iter_functions(node, None)) == list(own_functions(node, None))
        for _, function in pairs:
            assert list(iter_body(function)) == list(own_body(function))
        functions += len(pairs)
    assert functions > 500, "the comparison needs real functions"


def test_trf021_fires_alike_through_the_twins(sdist_fork: Path, walkers) -> None:  # type: ignore[no-untyped-def]
    import mlinter.mlinter as module

    from transformers_scaffold.checker.mlinter_walkers import fast_walkers

    trf021, _, _ = walkers
    models = sdist_fork / "src" / "transformers" / "models"
    files = [(models / m / f"modeling_{m}.py", (models / m / f"modeling_{m}.py").read_text()) for m in MODELS[:6]]
    files.append((models / "acme" / "modeling_acme.py", NESTED))

    def findings() -> list[tuple[str, int, str]]:
        return sorted(
            (str(p), v.line_number, v.message)
            for p, text in files
            for v in trf021.check(ast.parse(text), p, text.splitlines())
        )

    module._activate_rule_registry(module.DEFAULT_RULE_SPECS_PATH)
    own = findings()
    assert fast_walkers(sys.modules["mlinter"]) == ["trf021._iter_body", "trf021._iter_functions"]
    assert trf021._iter_body is not walkers[1], "the twins are in place"
    assert len([f for f in own if "acme" in f[0]]) == NESTED.count("expect: TRF021")
    assert findings() == own
