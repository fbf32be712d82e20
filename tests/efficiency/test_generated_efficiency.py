"""The efficiency tests generated with each model pass on this (CPU) machine; GPU-only cases skip
with a reason that says so, and nothing else is skipped."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.efficiency.conftest import MODELS


def _outcomes(output: str) -> dict[str, str]:
    """test name -> PASSED/FAILED/SKIPPED/ERROR from `pytest -rA` output."""
    outcomes = {}
    for state, name in re.findall(
        r"^(PASSED|FAILED|ERROR|SKIPPED) (?:\[\d+\] )?\S*?::(\w+(?:\[[^\]]+\])?)", output, re.M
    ):
        outcomes[name] = state
    return outcomes


@pytest.mark.slow
@pytest.mark.parametrize("case", list(MODELS))
def test_generated_efficiency_suite_passes_on_cpu(case: str, efficiency_fork: Path) -> None:
    module, _ = MODELS[case]
    test_file = Path("tests/models") / module / f"test_efficiency_{module}.py"
    assert (efficiency_fork / test_file).is_file()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", str(test_file), "-q", "-rA", "-p", "no:cacheprovider", "-W", "ignore"],
        cwd=efficiency_fork,
        capture_output=True,
        text=True,
        timeout=900,
    )
    outcomes = _outcomes(proc.stdout)
    failed = {name: state for name, state in outcomes.items() if state in {"FAILED", "ERROR"}}
    assert not failed and proc.returncode == 0, proc.stdout[-5000:]
    skipped = {name for name, state in outcomes.items() if state == "SKIPPED"}
    # pytest -rA reports skips by location, not name: check the reasons instead.
    reasons = re.findall(r"^SKIPPED \[\d+\] [^:]+:\d+: (.*)$", proc.stdout, re.M)
    import torch

    if not torch.cuda.is_available():
        # The fp16 + GradScaler case always skips here; flex attention only on a machine without a
        # C++ compiler for inductor. Nothing else may skip.
        assert any("GPU" in reason for reason in reasons), proc.stdout[-3000:]
        assert all("GPU" in reason or "C++ compiler" in reason for reason in reasons), reasons
    passed = {name for name, state in outcomes.items() if state == "PASSED"}
    expected = {
        "test_gradient_checkpointing_same_loss_and_grads",
        "test_gradient_checkpointing_recomputes_every_block[True]",
        "test_gradient_checkpointing_recomputes_every_block[False]",
        "test_attention_backend_matches_eager[sdpa-padded]",
        "test_attention_backend_matches_eager[sdpa-unpadded]",
        "test_attention_backend_is_dispatched",
        "test_bf16_autocast_training_step_cpu",
        "test_bf16_weights_inference_stays_bf16",
        "test_tied_embeddings_share_one_tensor",
        "test_trainer_trains_the_model",
        "test_trainer_hyperparameter_search_optuna",
        *(
            (
                "test_generate_with_cache_matches_no_cache",
                "test_generate_static_cache_compiled_matches_greedy",
                "test_generate_assisted_decoding_matches_greedy",
            )
            if case != "encoder"
            else ()
        ),  # fmt: skip
        "test_compile_fullgraph_forward_and_backward",
        "test_qlora_step_lowers_loss",
        "test_device_map_auto_keeps_no_split_blocks_whole",
        "test_fsdp2_wrap_policy_finds_layer_class",
        "test_onnx_export_matches_onnxruntime",
        "test_output_attentions_one_map_per_layer",
        "test_attention_heat_map_png",
        *(f"test_quantized_load_replaces_block_linears_not_head[{m}]" for m in ("quanto-int8", "quanto-int4")),
        *(
            f"test_quantized_load_replaces_block_linears_not_head[{m}]"
            for m in ("bnb-nf4", "bnb-int8", "torchao-int8")
        ),
    }
    assert expected <= passed, (sorted(expected - passed), skipped, proc.stdout[-3000:])
