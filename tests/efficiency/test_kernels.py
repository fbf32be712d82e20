"""`--kernels` of the generated launcher on a machine without a GPU, and the generated Liger module.

Liger's kernels are Triton (CUDA only): on a CPU-only machine an explicit `--kernels liger` prints
one line saying so and trains with PyTorch's kernels; the default (`auto`) says nothing. The
patched model's loss and gradients are compared with the unpatched ones by the generated
`test_liger_kernels_same_loss_and_grads_gpu`, which needs a GPU and skips here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.efficiency.conftest import MODELS

DECODER = MODELS["decoder"][0]
ENCODER = MODELS["encoder"][0]
NOTICE = "--kernels liger: Liger's kernels need a CUDA GPU (Triton); training with PyTorch's kernels instead"


def _launch(fork: Path, module: str, out: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    cmd = [
        sys.executable, str(fork / "examples" / module / f"train_{module}.py"), "--config", "tiny",
        "--max-steps", "2", "--seq-length", "16", "--per-device-batch-size", "2", "--save-steps", "-1",
        "--output-dir", str(out), *flags,
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(fork / "src"), "OMP_NUM_THREADS": "1", "CUDA_VISIBLE_DEVICES": ""}
    return subprocess.run(cmd, cwd=fork, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
@pytest.mark.parametrize("module", [DECODER, ENCODER])
def test_kernels_liger_on_cpu_prints_one_line_and_falls_back(
    efficiency_fork: Path, tmp_path: Path, module: str
) -> None:
    proc = _launch(efficiency_fork, module, tmp_path / "liger", "--kernels", "liger")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    lines = (proc.stdout + proc.stderr).splitlines()
    assert [line for line in lines if "--kernels" in line] == [NOTICE]
    assert "kernels none" in proc.stdout  # the banner: PyTorch's kernels
    metrics = [json.loads(line) for line in (tmp_path / "liger" / "metrics.jsonl").read_text().splitlines()]
    assert [m["step"] for m in metrics] == [1, 2]

    quiet = _launch(efficiency_fork, module, tmp_path / "auto")  # --kernels auto: no notice
    assert quiet.returncode == 0, quiet.stderr[-2000:]
    assert "--kernels" not in quiet.stdout + quiet.stderr
    assert "kernels none" in quiet.stdout


def test_liger_module_only_for_the_decoder_template(efficiency_fork: Path) -> None:
    liger = efficiency_fork / "examples" / DECODER / f"liger_{DECODER}.py"
    text = liger.read_text()
    assert f"def apply_liger_kernel_to_{DECODER}(" in text
    assert "MODEL_TYPE_TO_APPLY_LIGER_FN.setdefault(MODEL_TYPE" in text
    for other in (ENCODER, MODELS["like-llama"][0]):
        assert not (efficiency_fork / "examples" / other / f"liger_{other}.py").exists()


def test_patched_forward_outside_training_is_the_models_own(efficiency_fork: Path) -> None:
    """With the class patched (what `apply_liger_kernel_to_<m>()` does to the forward), evaluation goes
    through the unpatched forward: same logits. Importing the file again after the patch still finds
    that forward (no recursion into the patched one). Without Triton, registration reports False."""
    liger = efficiency_fork / "examples" / DECODER / f"liger_{DECODER}.py"
    camel = DECODER.capitalize()
    check = f"""
import importlib.util, torch
from transformers.models.{DECODER} import modeling_{DECODER} as modeling

def load():
    spec = importlib.util.spec_from_file_location("liger_{DECODER}", {str(liger)!r})
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

liger = load()
print("registered", liger.register_liger(), "available", liger.liger_available())
config = modeling.{camel}Config(vocab_size=99, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                                 num_attention_heads=4, num_key_value_heads=2)
torch.manual_seed(0)
model = modeling.{camel}ForCausalLM(config).eval()
ids = torch.randint(3, 99, (2, 10))
with torch.no_grad():
    own = model(input_ids=ids, labels=ids)
    modeling.{camel}ForCausalLM.forward = liger.lce_forward
    again = load()
    assert again.lce_forward.__wrapped_forward__ is liger.lce_forward.__wrapped_forward__
    modeling.{camel}ForCausalLM.forward = again.lce_forward
    patched = model(input_ids=ids, labels=ids)
torch.testing.assert_close(patched.logits, own.logits, rtol=0, atol=0)
torch.testing.assert_close(patched.loss, own.loss, rtol=0, atol=0)
print("same")
"""
    env = {
        **os.environ,
        "PYTHONPATH": str(efficiency_fork / "src"),
        "OMP_NUM_THREADS": "1",
        "CUDA_VISIBLE_DEVICES": "",
    }
    proc = subprocess.run([sys.executable, "-c", check], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "same" in proc.stdout
    # Registration succeeds exactly when liger-kernel (and Triton) can be imported.
    assert "registered False available False" in proc.stdout or "registered True available True" in proc.stdout
