"""CPU proofs of the generated Accelerate launcher (`examples/<module>/train_<module>.py`).

Two real ranks over gloo (`torchrun --nproc_per_node 2`; `accelerate launch --cpu --num_processes
2` would start one process) train the tiny decoder with gradient accumulation 2 and bf16 on a
repeated batch: the loss falls, checkpoints and a TensorBoard event file are written, and resuming
from a checkpoint continues from its step to the same losses as the uninterrupted run (bit-for-bit
weights: test_launcher_resume.py; the hyperparameter search: test_launcher_hp_search.py).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.efficiency.conftest import MODELS

DECODER = MODELS["decoder"][0]
ENCODER = MODELS["encoder"][0]
SENTENCE = "the quick brown fox jumps over the lazy dog"  # 43 bytes + eos = 44 byte tokens
SEQ = len(SENTENCE.encode()) + 1  # one line per block: every batch is the same batch


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(fork: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(fork / "src"), "OMP_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false"}


def _torchrun(fork: Path, module: str, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [
        sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2",
        "--master_addr", "127.0.0.1", "--master_port", str(_free_port()),
        str(fork / "examples" / module / f"train_{module}.py"), *args,
    ]  # fmt: skip
    return subprocess.run(cmd, cwd=fork, env=_env(fork), capture_output=True, text=True, timeout=600)


def _metrics(output_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (output_dir / "metrics.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def repeated_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("data") / "repeated.txt"
    path.write_text((SENTENCE + "\n") * 64)
    return path


@pytest.fixture(scope="module")
def two_rank_run(efficiency_fork: Path, repeated_batch: Path, tmp_path_factory: pytest.TempPathFactory):
    """Six steps on two gloo ranks, checkpoints at 3 and 6, TensorBoard on."""
    out = tmp_path_factory.mktemp("run")
    common = [
        "--config", "tiny", "--dataset", str(repeated_batch), "--tokenizer", "bytes", "--seq-length", str(SEQ),
        "--per-device-batch-size", "2", "--gradient-accumulation-steps", "2", "--mixed-precision", "bf16",
        "--learning-rate", "1e-2", "--max-steps", "6",
    ]  # fmt: skip
    proc = _torchrun(
        efficiency_fork, DECODER, *common, "--output-dir", str(out / "a"), "--save-steps", "3",
        "--logging-dir", str(out / "tb"),
    )  # fmt: skip
    return out, common, proc


@pytest.mark.slow
def test_two_gloo_ranks_train_with_accumulation_and_bf16(two_rank_run) -> None:
    out, _, proc = two_rank_run
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "2 process(es), DistributedType.MULTI_CPU" in proc.stdout
    assert "mixed precision bf16" in proc.stdout
    rows = _metrics(out / "a")
    assert [row["step"] for row in rows] == [1, 2, 3, 4, 5, 6]
    assert {row["world_size"] for row in rows} == {2}
    # 2 ranks x 2 samples x 2 micro-batches x SEQ tokens per optimizer step.
    assert all(row["tokens_per_s"] > 0 for row in rows)
    assert rows[-1]["loss"] < 0.9 * rows[0]["loss"], [row["loss"] for row in rows]
    assert "tokens/s" in proc.stdout + proc.stderr  # the log line and the progress bar


@pytest.mark.slow
def test_checkpoints_final_model_and_tensorboard_written(two_rank_run, efficiency_fork: Path) -> None:
    out, _, proc = two_rank_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    for step in (3, 6):
        checkpoint = out / "a" / f"checkpoint-{step}"
        assert json.loads((checkpoint / "train_state.json").read_text()) == {"step": step}
        assert any(checkpoint.glob("optimizer*")), sorted(p.name for p in checkpoint.iterdir())
        assert any(checkpoint.glob("random_states_*")), "per-rank RNG state lets a resume replay the same data"
    assert (out / "a" / "final" / "config.json").is_file()
    assert (out / "a" / "final" / "model.safetensors").is_file()
    # The final model is a plain save_pretrained checkpoint: it loads with no missing or extra keys.
    check = (
        "import json, sys; from transformers import AutoModelForCausalLM; "
        "_, info = AutoModelForCausalLM.from_pretrained(sys.argv[1], output_loading_info=True); "
        "print(json.dumps({k: sorted(v) for k, v in info.items() if v}))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", check, str(out / "a" / "final")],
        env=_env(efficiency_fork),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    assert json.loads(loaded.stdout.strip().splitlines()[-1]) == {}
    assert list((out / "tb").rglob("events.out.tfevents.*")), "no TensorBoard event file"


@pytest.mark.slow
def test_encoder_launcher_trains_masked_lm_on_jsonl(efficiency_fork: Path, tmp_path) -> None:
    """The encoder's launcher trains its masked-LM head from a .jsonl file (one process), with
    gradient checkpointing and the eager attention backend switched on from the command line."""
    script = efficiency_fork / "examples" / ENCODER / f"train_{ENCODER}.py"
    assert 'LM_TASK = "masked"' in script.read_text()
    data = tmp_path / "data.jsonl"
    data.write_text("".join(json.dumps({"text": f"{SENTENCE} {i}"}) + "\n" for i in range(32)))
    proc = subprocess.run(
        [
            sys.executable, str(script), "--config", "tiny", "--dataset", str(data), "--tokenizer", "bytes", "--max-steps", "3",
            "--seq-length", "16", "--per-device-batch-size", "4", "--learning-rate", "1e-2",
            "--gradient-checkpointing", "--attn-implementation", "eager", "--output-dir", str(tmp_path / "out"),
        ],
        cwd=efficiency_fork, env=_env(efficiency_fork), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    rows = _metrics(tmp_path / "out")
    assert [row["step"] for row in rows] == [1, 2, 3]
    assert all(row["loss"] == row["loss"] for row in rows)  # not NaN
    assert (tmp_path / "out" / "final" / "config.json").is_file()


def test_chunked_loss_equals_the_models_own_loss(efficiency_fork: Path) -> None:
    """The launcher's chunked cross-entropy (the GPU default) computes the model's own loss."""
    script = efficiency_fork / "examples" / DECODER / f"train_{DECODER}.py"
    check = f"""
import importlib.util, sys, torch
spec = importlib.util.spec_from_file_location("train", {str(script)!r})
train = importlib.util.module_from_spec(spec)
spec.loader.exec_module(train)
args = train.parse_args(["--seq-length", "24"])
torch.manual_seed(0)
model = train.{DECODER.capitalize()}ForCausalLM(train.build_config(args)).eval()
ids = torch.randint(3, model.config.vocab_size, (3, 24))
labels = ids.clone()
labels[1, 20:] = -100
with torch.no_grad():
    own = model(input_ids=ids, labels=labels).loss
    chunked = train.ChunkedLossLM(model)(input_ids=ids, labels=labels)["loss"]
    small_chunks = train.chunked_lm_loss(model.model(input_ids=ids).last_hidden_state, model.lm_head, labels, True, 7)
torch.testing.assert_close(chunked, own, rtol=1e-5, atol=1e-6)
torch.testing.assert_close(small_chunks, own, rtol=1e-5, atol=1e-6)
print("same", own.item())
"""
    proc = subprocess.run(
        [sys.executable, "-c", check], env=_env(efficiency_fork), capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "same" in proc.stdout
