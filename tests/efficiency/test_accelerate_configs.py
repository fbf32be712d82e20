"""The generated `accelerate_configs/` load with Accelerate's own config reader and name the model's
own layer class for FSDP2 wrapping."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.efficiency.conftest import MODELS

EXPECTED = {
    "single_gpu.yaml": "NO",
    "multi_gpu_ddp.yaml": "MULTI_GPU",
    "fsdp2.yaml": "FSDP",
    "deepspeed_zero2.yaml": "DEEPSPEED",
    "deepspeed_zero3.yaml": "DEEPSPEED",
    "cpu.yaml": "NO",
    "tpu_xla.yaml": "XLA",  # shipped, marked untested: no TPU here
}


def _no_split_modules(modeling: str) -> list[str]:
    match = re.search(r"_no_split_modules\s*=\s*\[([^\]]*)\]", modeling)
    assert match, "no _no_split_modules in the modeling file"
    return re.findall(r"[\"'](\w+)[\"']", match.group(1))


@pytest.mark.parametrize("case", list(MODELS))
def test_accelerate_configs_load_and_wrap_the_layer_class(case: str, efficiency_fork: Path) -> None:
    from accelerate.commands.config.config_args import load_config_from_file

    module, _ = MODELS[case]
    folder = efficiency_fork / "examples" / module / "accelerate_configs"
    assert sorted(p.name for p in folder.iterdir()) == sorted(EXPECTED)
    configs = {name: load_config_from_file(str(folder / name)) for name in EXPECTED}
    for name, distributed in EXPECTED.items():
        assert configs[name].distributed_type.value == distributed, name
    assert configs["cpu.yaml"].use_cpu is True
    assert (folder / "tpu_xla.yaml").read_text().startswith("# UNTESTED")
    fsdp = configs["fsdp2.yaml"].fsdp_config
    assert fsdp["fsdp_version"] == 2  # Accelerate's default is FSDP1
    assert fsdp["fsdp_auto_wrap_policy"] == "TRANSFORMER_BASED_WRAP"
    modeling = (efficiency_fork / "src/transformers/models" / module / f"modeling_{module}.py").read_text()
    layer = fsdp["fsdp_transformer_layer_cls_to_wrap"]
    assert f"class {layer}(" in modeling
    assert layer in _no_split_modules(modeling)
    assert configs["deepspeed_zero2.yaml"].deepspeed_config["zero_stage"] == 2
    assert configs["deepspeed_zero3.yaml"].deepspeed_config["zero_stage"] == 3
    for name in ("deepspeed_zero2.yaml", "deepspeed_zero3.yaml"):
        # "auto" defers to the launcher's --gradient-accumulation-steps instead of overriding it.
        assert configs[name].deepspeed_config["gradient_accumulation_steps"] == "auto"


@pytest.mark.parametrize("case", list(MODELS))
def test_examples_readme_and_launcher_flags_agree(case: str, efficiency_fork: Path) -> None:
    module, _ = MODELS[case]
    launcher = (efficiency_fork / "examples" / module / f"train_{module}.py").read_text()
    launcher += (efficiency_fork / "examples" / module / f"train_utils_{module}.py").read_text()
    readme = (efficiency_fork / "examples" / module / "README.md").read_text()
    flags = [
        "--config", "--max-steps", "--per-device-batch-size", "--gradient-accumulation-steps",
        "--mixed-precision", "--gradient-checkpointing", "--compile", "--attn-implementation", "--dataset",
        "--output-dir", "--resume-from-checkpoint", "--logging-dir", "--hp-search", "--n-trials", "--kernels",
        "--tokenizer", "--eval-split", "--save-total-limit", "--max-shard-size", "--device", "--cpu-threads",
        "--profile", "--detect-anomaly",
    ]  # fmt: skip
    for flag in flags:
        assert f'"{flag}"' in launcher, flag
        assert f"`{flag}" in readme, flag
    assert "{{" not in launcher + readme
