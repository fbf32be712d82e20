"""Pieces of the generated launcher, run in one subprocess against the fork: BERT's 80/10/10
masking through DataCollatorForLanguageModeling, the device order (CUDA > MPS > XPU > CPU, with
availability passed in, since this machine has only a CPU) and the CPU thread split."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.efficiency import launch
from tests.efficiency.conftest import MODELS

ENCODER = MODELS["encoder"][0]

CHECK = """
import importlib.util, json, os, sys, torch
spec = importlib.util.spec_from_file_location("train", sys.argv[1])
train = importlib.util.module_from_spec(spec)
spec.loader.exec_module(train)
import train_utils_{module} as utils
config = train.build_config(train.parse_args(["--seq-length", "64"]))
collator = train.mlm_collator(None, config)
blocks = train.synthetic_blocks(config.vocab_size, 64, count=1024)
mask_id = collator.tokenizer.mask_token_id
targets = masked = randomized = kept = 0
shares = []
for start in range(0, 1024, 32):
    chunk = blocks[start : start + 32]
    batch = train.collate(chunk, collator)
    original = torch.stack(chunk)
    is_target = batch["labels"] != -100
    assert torch.equal(batch["labels"][is_target], original[is_target])
    share_targets = int(is_target.sum())
    targets_all = share_targets
    # Targets whose own token is the mask id would count as masked and kept at once: leave them out.
    is_target &= original != mask_id
    targets += int(is_target.sum())
    masked += int((is_target & (batch["input_ids"] == mask_id)).sum())
    kept += int((is_target & (batch["input_ids"] == original)).sum())
    randomized += int((is_target & (batch["input_ids"] != original) & (batch["input_ids"] != mask_id)).sum())
    shares.append(targets_all)
    again = train.collate(chunk, collator)
    assert torch.equal(again["input_ids"], batch["input_ids"]), "masks must not depend on the global RNG"
tokens = 1024 * 64
only = lambda *names: (lambda device: device in names)
order = {{
    "all": utils.pick_device("auto", only("cuda", "mps", "xpu", "cpu")),
    "mps+xpu": utils.pick_device("auto", only("mps", "xpu", "cpu")),
    "xpu": utils.pick_device("auto", only("xpu", "cpu")),
    "none": utils.pick_device("auto", only("cpu")),
    "here": utils.pick_device("auto"),
}}
try:
    utils.pick_device("cuda", only("cpu"))
    refused = None
except ValueError as error:
    refused = str(error)
os.environ.pop("OMP_NUM_THREADS", None)
threads = {{"flag": utils.cpu_threads(3)[0], "split": utils.cpu_threads(None, 2)[0], "one": utils.cpu_threads(None, 1)[0]}}
os.environ["OMP_NUM_THREADS"] = "5"
threads["env"] = utils.cpu_threads(None, 2)[0]
print("RESULT", json.dumps({{"share": sum(shares) / tokens, "mask": masked / targets, "random": randomized / targets,
    "kept": kept / targets, "order": order, "refused": refused, "threads": threads, "cores": len(os.sched_getaffinity(0))}}))
"""


def test_mlm_masking_is_80_10_10_device_order_and_threads(efficiency_fork) -> None:
    script = launch.script(efficiency_fork, ENCODER)
    proc = subprocess.run(
        [sys.executable, "-c", CHECK.format(module=ENCODER), str(script)],
        env={**launch.env(efficiency_fork), "PYTHONPATH": f"{efficiency_fork / 'src'}:{script.parent}"},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.split("RESULT ", 1)[1])
    # 65536 tokens: ~9800 targets, so a share's standard deviation is about 0.003-0.004.
    assert abs(result["share"] - 0.15) < 0.01, result
    assert abs(result["mask"] - 0.8) < 0.02, result
    # A random draw can hit the original token (counted as kept) or the mask id (counted as masked).
    assert abs(result["random"] - 0.1) < 0.02 and abs(result["kept"] - 0.1) < 0.02, result
    assert result["order"] == {"all": "cuda", "mps+xpu": "mps", "xpu": "xpu", "none": "cpu", "here": "cpu"}
    assert "--device cuda: not available" in result["refused"]
    cores = result["cores"]
    assert result["threads"] == {"flag": 3, "split": max(1, cores // 2), "one": cores, "env": 5}
