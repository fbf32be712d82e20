"""GPU proofs of a scaffolded model's generated launcher under every shipped Accelerate config.

For each config in `examples/<module>/accelerate_configs/` that needs GPUs (single GPU, DDP, FSDP2,
DeepSpeed ZeRO-2 and ZeRO-3), it runs `accelerate launch` on a small model of the scaffolded type
for a few steps, then resumes from the written checkpoint for a few more, and checks: exit code 0,
the loss falls, a checkpoint and a `final/` model are written, resuming continues from the saved
step. Not part of CI (it needs GPUs); results go to docs/benchmarks.md.

    python benchmarks/launcher_proofs.py --fork F --module acme --gpus 2 --out proofs.json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

SMALL = {
    "hidden_size": 512,
    "num_hidden_layers": 4,
    "num_attention_heads": 8,
    "num_key_value_heads": 8,
    "intermediate_size": 1408,
    "vocab_size": 32000,
    "max_position_embeddings": 512,
    "tie_word_embeddings": False,
}
CONFIGS = {  # accelerate config -> processes (None: all GPUs asked for)
    "single_gpu": 1,
    "multi_gpu_ddp": None,
    "fsdp2": None,
    "deepspeed_zero2": None,
    "deepspeed_zero3": None,
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--fork", type=Path, required=True, help="fork root holding examples/<module>/")
    p.add_argument("--module", required=True)
    p.add_argument("--model-type", default=None, help="default: the module name")
    p.add_argument("--gpus", type=int, default=2)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--configs", default=",".join(CONFIGS))
    p.add_argument("--work", type=Path, default=Path("/tmp/launcher-proofs"))
    p.add_argument("--out", type=Path, default=None)
    return p.parse_args(argv)


def metrics(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def launch(args: argparse.Namespace, name: str, processes: int, extra: list[str], log: Path) -> tuple[int, float]:
    example = args.fork / "examples" / args.module
    cmd = [
        sys.executable, "-m", "accelerate.commands.launch",
        "--config_file", str(example / "accelerate_configs" / f"{name}.yaml"),
        "--num_processes", str(processes),
        str(example / f"train_{args.module}.py"),
        "--config", str(args.work / "config.json"),
        "--per-device-batch-size", "8", "--seq-length", "512", "--learning-rate", "1e-3",
        "--no-compile", "--logging-steps", "5",
        *extra,
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": f"{args.fork / 'src'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    start = time.perf_counter()
    with log.open("w") as handle:
        code = subprocess.run(cmd, env=env, stdout=handle, stderr=subprocess.STDOUT, timeout=600).returncode
    return code, time.perf_counter() - start


def prove(args: argparse.Namespace, name: str) -> dict:
    processes = CONFIGS[name] or args.gpus
    out = args.work / name
    result: dict = {"config": name, "processes": processes}
    first_steps, total = args.steps, args.steps + 5
    code, seconds = launch(
        args, name, processes, ["--max-steps", str(first_steps), "--output-dir", str(out)], args.work / f"{name}.log"
    )
    rows = metrics(out / "metrics.jsonl")
    result.update(exit=code, seconds=round(seconds, 1), steps=len(rows))
    if code != 0 or not rows:
        result["error"] = (args.work / f"{name}.log").read_text()[-1500:]
        return result
    result.update(
        first_loss=rows[0]["loss"],
        last_loss=rows[-1]["loss"],
        loss_falls=rows[-1]["loss"] < rows[0]["loss"],
        tokens_per_s=rows[-1]["tokens_per_s"],
        checkpoint=(out / f"checkpoint-{first_steps}").is_dir(),
        final_model=(out / "final" / "config.json").is_file(),
    )
    code, _ = launch(
        args,
        name,
        processes,
        ["--max-steps", str(total), "--output-dir", str(out), "--resume-from-checkpoint", "latest"],
        args.work / f"{name}-resume.log",
    )
    resumed = metrics(out / "metrics.jsonl")[len(rows) :]
    result.update(
        resume_exit=code,
        resumed_from=first_steps
        if f"at step {first_steps}" in (args.work / f"{name}-resume.log").read_text()
        else None,
        resumed_steps=[r["step"] for r in resumed],
    )
    if code != 0:
        result["resume_error"] = (args.work / f"{name}-resume.log").read_text()[-1500:]
    return result


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str((args.fork / "src").resolve()))
    from transformers import AutoConfig

    args.work.mkdir(parents=True, exist_ok=True)
    AutoConfig.for_model(args.model_type or args.module, **SMALL).to_json_file(args.work / "config.json")
    results = []
    for name in args.configs.split(","):
        result = prove(args, name)
        results.append(result)
        print(json.dumps({k: v for k, v in result.items() if "error" not in k}), flush=True)
        for key in ("error", "resume_error"):
            if key in result:
                print(f"--- {name} {key} ---\n{result[key]}", flush=True)
        if args.out:
            args.out.write_text(json.dumps(results, indent=2))
    ok = all(r.get("exit") == 0 and r.get("loss_falls") and r.get("resume_exit") == 0 for r in results)
    print("ALL PROVEN" if ok else "SOME FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
