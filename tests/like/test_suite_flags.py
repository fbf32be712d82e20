"""The efficiency tests generated for `--like` follow the source model (issue 9): run on real scaffolds.

GPT-2: `Conv1D` projections are projections (bf16 probes), and its `LMHeadModel` (no `loss_type`)
compiles in one graph. Mamba: its block is `MambaBlock` (not the mixer its no-split list names last),
so checkpointing is checked on it; it is stateful, so assisted decoding skips naming the flag.
Whisper: its causal LM head runs the decoder layers, and its audio input (`input_features`) is fed.
Mixtral: its `@use_experts_implementation` experts export to ONNX as batched matmuls (`grouped_mm`'s
custom op has no ONNX function). Phi-3: its blocks end in a weightless dropout, which checkpointing
need not run again; the recompute check counts the children with weights. ConvNeXt: no input
embeddings (torchao's loader reads them) and 4-D inputs to its projections (bitsandbytes' int8
matmul takes 2-D or 3-D): both skip, naming why; quanto int8 runs. Gemma 3: its one-layer draft
model keeps one `layer_types` entry (the tiny config lists one per layer).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.like.generated_suite import EFFICIENCY, run_selection, scaffold_like

CASES = {
    "gpt2": ("bf16_autocast_training or compile_fullgraph", {"passed": 2, "skipped": 0}),
    "mamba": ("assisted_decoding or gradient_checkpointing_same_loss", {"passed": 1, "skipped": 1}),
    "whisper": ("bf16_autocast_training or gradient_checkpointing_same_loss", {"passed": 2, "skipped": 0}),
    "mixtral": ("onnx_export", {"passed": 1, "skipped": 0}),
    "phi3": ("gradient_checkpointing_recomputes_every_block", {"passed": 2, "skipped": 0}),
    "convnext": ("quantized_load and int8", {"passed": 1, "skipped": 2}),
    "gemma3_text": ("assisted_decoding", {"passed": 1, "skipped": 0}),
}


@pytest.mark.slow
@pytest.mark.parametrize("source", list(CASES))
def test_generated_efficiency_tests_follow_the_source(source: str, sdist_fork: Path, tmp_path: Path) -> None:
    fork = scaffold_like(source, sdist_fork, tmp_path)
    selection, expected = CASES[source]
    counts, stdout = run_selection(fork, [EFFICIENCY], selection, tmp_path)
    assert counts == {**expected, "failed": 0, "error": 0}, stdout[-4000:]
    if source == "mamba":
        assert "_is_stateful is True" in stdout, stdout[-2000:]
    if source == "convnext":
        assert "has no input embeddings" in stdout, stdout[-2000:]
        assert "takes 2-D or 3-D inputs" in stdout, stdout[-2000:]
