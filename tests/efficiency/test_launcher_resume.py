"""Exact resume, bit for bit: 3 steps, then a resume to 6, ends with the very weights of 6 straight
steps. Two real gloo ranks (torchrun), gradient accumulation 2, bf16 autocast and dropout 0.1 in
every dropout field, for the decoder and the encoder (whose masked-LM batches and dropout both draw
random numbers: a resume that shifts either stream changes the weights)."""

from __future__ import annotations

import pytest

from tests.efficiency import launch
from tests.efficiency.conftest import MODELS

SEQ = len(launch.SENTENCE.encode()) + 1  # one line per block with --tokenizer bytes


def _weights(path):
    from safetensors.torch import load_file

    return load_file(str(path / "final" / "model.safetensors"))


@pytest.mark.slow
@pytest.mark.parametrize("case", ["decoder", "encoder"])
def test_resume_from_step_3_equals_6_straight_steps_bit_for_bit(case, efficiency_fork, tmp_path) -> None:
    module = MODELS[case][0]
    data = tmp_path / "data.txt"
    data.write_text("".join(f"{launch.SENTENCE} {i}\n" for i in range(64)))
    config = launch.dropout_config(efficiency_fork, module, tmp_path / "config.json")
    common = [
        "--config", str(config), "--dataset", str(data), "--tokenizer", "bytes", "--seq-length", str(SEQ),
        "--per-device-batch-size", "2", "--gradient-accumulation-steps", "2", "--mixed-precision", "bf16",
        "--learning-rate", "1e-2", "--max-steps", "6",
    ]  # fmt: skip
    straight = launch.torchrun(
        efficiency_fork, module, *common, "--output-dir", str(tmp_path / "a"), "--save-steps", "3"
    )
    assert straight.returncode == 0, launch.output(straight)
    checkpoint = tmp_path / "a" / "checkpoint-3"
    resumed = launch.torchrun(
        efficiency_fork,
        module,
        *common,
        "--output-dir",
        str(tmp_path / "b"),
        "--resume-from-checkpoint",
        str(checkpoint),
    )
    assert resumed.returncode == 0, launch.output(resumed)
    assert f"resumed from {checkpoint} at step 3" in resumed.stdout
    assert [row["step"] for row in launch.metrics(tmp_path / "b")] == [4, 5, 6]
    losses = {row["step"]: row["loss"] for row in launch.metrics(tmp_path / "a")}
    assert {row["step"]: row["loss"] for row in launch.metrics(tmp_path / "b")} == {s: losses[s] for s in (4, 5, 6)}
    a, b = _weights(tmp_path / "a"), _weights(tmp_path / "b")
    assert a.keys() == b.keys()
    import torch

    differ = [name for name in a if not torch.equal(a[name], b[name])]
    assert not differ, f"weights differ after the resume: {differ[:5]}"
