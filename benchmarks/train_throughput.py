"""Training throughput of a scaffolded decoder against Transformers' own `LlamaForCausalLM`.

Both models get the same shape (ANCHORS.md §7: hidden 2048, 16 layers, 16 heads, ffn 5632, vocab
32000, seq 2048, batch 8; ~953M parameters), fp32 weights under bf16 autocast, fused AdamW, in ONE
process, interleaved mode by mode so both see the same card state. For each mode (SDPA, SDPA +
gradient checkpointing, whole-model compile, compile of each decoder layer ("regional"), Liger's
kernels eager or with either compile) it prints tokens/s, MFU and peak memory, and the
scaffolded/Llama ratio. Liger is applied through Liger's own model-type table
(`_apply_liger_kernel_to_instance`, what `use_liger_kernel=True` calls): Llama's entry ships with
Liger, the scaffolded model's is registered by importing the generated `liger_<module>.py`.
`--recipes` then runs the generated launcher (`train_<module>.py`) at the same shape, one recipe
per subprocess, steps 21-30 of 30. `--qlora` adds the QLoRA recipe (bitsandbytes 4-bit nf4 base,
LoRA r=16 on every projection, checkpointing) for both models.

    python benchmarks/train_throughput.py --fork-src F/src --scaffolded acme --out results.json \
        --recipes "default;--kernels none" --profile regional+liger-flce

`--fork-src` is the `src/` of a fork holding the scaffolded model (its transformers is imported
instead of the installed one). MFU = tok/s x (6 N_non-embedding + 12 L d seq) / 989e12 (ANCHORS.md
§7; N excludes the input embedding, counts the LM head). Needs a CUDA GPU.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
from pathlib import Path

SHAPE = {
    "hidden_size": 2048,
    "num_hidden_layers": 16,
    "num_attention_heads": 16,
    "num_key_value_heads": 16,
    "intermediate_size": 5632,
    "vocab_size": 32000,
    "max_position_embeddings": 2048,
    "tie_word_embeddings": False,
}
SEQ, BATCH = 2048, 8
PEAK_BF16_FLOPS = 989e12  # H100/H200 SXM dense bf16 (ANCHORS.md §7)
# compile: False | "full" (torch.compile of the whole model) | "regional" (each decoder layer in place);
# liger: None | "all" (RMSNorm, RoPE, SwiGLU, fused linear cross-entropy) | "flce" (only the latter).
MODES = {
    "sdpa": {"compile": False, "checkpointing": False},
    "sdpa+ckpt": {"compile": False, "checkpointing": True},
    "compile": {"compile": "full", "checkpointing": False},
    "compile+ckpt": {"compile": "full", "checkpointing": True},
    "regional": {"compile": "regional", "checkpointing": False},
    "liger": {"compile": False, "checkpointing": False, "liger": "all"},
    "liger+compile": {"compile": "full", "checkpointing": False, "liger": "all"},
    "regional+liger": {"compile": "regional", "checkpointing": False, "liger": "all"},
    "regional+liger-flce": {"compile": "regional", "checkpointing": False, "liger": "flce"},
}
DEFAULT_MODES = "sdpa,compile,liger,liger+compile,regional+liger-flce,regional+liger"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--fork-src", type=Path, required=True, help="src/ of the fork with the scaffolded model")
    p.add_argument("--scaffolded", required=True, help="model type of the scaffolded decoder (e.g. acme)")
    p.add_argument("--modes", default=DEFAULT_MODES, help="comma-separated subset of " + ",".join(MODES))
    p.add_argument("--models", default="", help="comma-separated: only these of llama,<scaffolded>")
    p.add_argument("--warmup", type=int, default=4, help="untimed steps (compilation happens here)")
    p.add_argument("--steps", type=int, default=12, help="timed steps")
    p.add_argument("--recipes", default="", help="';'-separated launcher flag sets ('default' = none)")
    p.add_argument("--launcher", type=Path, default=None, help="train_<module>.py (default: beside --fork-src)")
    p.add_argument("--qlora", action="store_true", help="also measure the QLoRA 4-bit recipe")
    p.add_argument("--profile", default="", help="profile the scaffolded model in this mode; print top kernels")
    p.add_argument("--out", type=Path, default=None, help="write results as JSON here (updated after each run)")
    return p.parse_args(argv)


def flops_per_token(model, config) -> float:
    import torch

    embeddings = {id(p) for m in model.modules() if isinstance(m, torch.nn.Embedding) for p in m.parameters()}
    n = sum(p.numel() for p in model.parameters() if id(p) not in embeddings)
    return 6 * n + 12 * config.num_hidden_layers * config.hidden_size * SEQ


def build(model_type: str, attn: str = "sdpa"):
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    config = AutoConfig.for_model(model_type, **SHAPE)
    torch.manual_seed(0)
    with torch.device("cuda"):
        model = AutoModelForCausalLM.from_config(config, attn_implementation=attn, dtype=torch.float32)
    return model, config


def batch_on_gpu():
    import torch

    generator = torch.Generator(device="cuda").manual_seed(0)
    ids = torch.randint(0, SHAPE["vocab_size"], (BATCH, SEQ), device="cuda", generator=generator)
    return {"input_ids": ids, "labels": ids}


def free() -> None:
    import torch

    gc.collect()
    torch.cuda.empty_cache()
    torch._dynamo.reset()


def apply_liger(model, which: str) -> None:
    """Liger's kernels through Liger's model-type table, as `TrainingArguments(use_liger_kernel=True)` does."""
    from liger_kernel.transformers import _apply_liger_kernel_to_instance
    from liger_kernel.transformers.monkey_patch import MODEL_TYPE_TO_APPLY_LIGER_FN

    if model.config.model_type not in MODEL_TYPE_TO_APPLY_LIGER_FN:
        raise RuntimeError(f"{model.config.model_type} is not in Liger's model-type table")
    full = which == "all"
    _apply_liger_kernel_to_instance(
        model=model, rope=full, rms_norm=full, swiglu=full, fused_linear_cross_entropy=True
    )


def patched_modules(model) -> list:
    """The modeling module and the model class: Liger patches their globals and `forward`."""
    return [sys.modules[type(model).__module__], type(model)]


def run_mode(model_type: str, mode: str, warmup: int, steps: int, profile: bool = False) -> dict:

    settings = MODES[mode]
    model, config = build(model_type)
    saved = [(owner, dict(vars(owner))) for owner in patched_modules(model)]
    try:
        return _run_mode(model, config, model_type, mode, settings, warmup, steps, profile)
    finally:  # undo Liger's module-level patches: the next mode (and the other model) runs unpatched
        for owner, before in saved:
            for name, value in before.items():
                if vars(owner).get(name) is not value:
                    setattr(owner, name, value)


def _run_mode(model, config, model_type, mode, settings, warmup, steps, profile) -> dict:
    import torch

    if settings.get("liger"):
        apply_liger(model, settings["liger"])
    if settings["checkpointing"]:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    model.train()
    fpt = flops_per_token(model, config)
    params = sum(p.numel() for p in model.parameters())
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, fused=True)
    step_model = model
    if settings["compile"] == "full":
        step_model = torch.compile(model)
    batch = batch_on_gpu()
    if settings["compile"] == "regional":
        for layer in model.model.layers:
            layer.compile()
        # As the launcher does: no DynamicCache in training (its per-layer state makes each compiled
        # layer recompile, and past the recompile limit of 8 the last layers run uncompiled).
        batch["use_cache"] = False

    def step() -> torch.Tensor:
        with torch.autocast("cuda", dtype=torch.bfloat16):
            loss = step_model(**batch).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        return loss

    torch.cuda.reset_peak_memory_stats()
    start = time.perf_counter()
    for _ in range(warmup):
        first = step()
    torch.cuda.synchronize()
    warmup_s = time.perf_counter() - start
    begin, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    begin.record()
    for _ in range(steps):
        loss = step()
    end.record()
    torch.cuda.synchronize()
    seconds = begin.elapsed_time(end) / 1000
    tokens_per_s = BATCH * SEQ * steps / seconds
    result = {
        "model": model_type,
        "mode": mode,
        "params": params,
        "tokens_per_s": tokens_per_s,
        "mfu": tokens_per_s * fpt / PEAK_BF16_FLOPS,
        "peak_memory_gib": torch.cuda.max_memory_allocated() / 2**30,
        "step_ms": 1000 * seconds / steps,
        "warmup_s": warmup_s,
        "first_loss": float(first),
        "last_loss": float(loss),
    }
    if profile:
        from kernel_profile import profile_steps  # benchmarks/kernel_profile.py

        result["profile"] = profile_steps(step)
    return result  # the caller frees the model (the closure above still holds it here)


def run_qlora(model_type: str, warmup: int, steps: int) -> dict:
    """Peak memory of QLoRA: 4-bit nf4 base (bf16 compute), LoRA r=16 on every projection,
    gradient checkpointing, bf16 autocast, batch 8 x 2048."""
    import peft
    import torch
    from transformers import AutoModelForCausalLM, BitsAndBytesConfig

    with tempfile.TemporaryDirectory() as tmp:
        model, _ = build(model_type)
        model.to(torch.bfloat16).save_pretrained(tmp)
        del model
        free()
        quant = BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_compute_dtype=torch.bfloat16,
            bnb_4bit_use_double_quant=True,
        )
        torch.cuda.reset_peak_memory_stats()
        model = AutoModelForCausalLM.from_pretrained(tmp, quantization_config=quant, device_map={"": 0})
    model = peft.prepare_model_for_kbit_training(
        model, use_gradient_checkpointing=True, gradient_checkpointing_kwargs={"use_reentrant": False}
    )
    targets = sorted({n.rsplit(".", 1)[-1] for n, m in model.named_modules() if type(m).__name__ == "Linear4bit"})
    model = peft.get_peft_model(model, peft.LoraConfig(r=16, lora_alpha=32, lora_dropout=0.0, target_modules=targets))
    model.train()
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4, fused=True)
    batch = batch_on_gpu()
    for i in range(warmup + steps):
        if i == warmup:
            torch.cuda.synchronize()
            start = time.perf_counter()
        with torch.autocast("cuda", dtype=torch.bfloat16):
            loss = model(**batch).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
    torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    result = {
        "model": model_type,
        "mode": "qlora-nf4",
        "tokens_per_s": BATCH * SEQ * steps / seconds,
        "peak_memory_gib": torch.cuda.max_memory_allocated() / 2**30,
        "trainable_params": sum(p.numel() for p in model.parameters() if p.requires_grad),
        "last_loss": float(loss),
    }
    del model, optimizer, batch
    free()
    return result


def environment() -> dict:
    import platform

    import torch
    import transformers

    return {
        "device": torch.cuda.get_device_name(),
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "transformers": transformers.__version__,
        "transformers_path": str(Path(transformers.__file__).parent),
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(args.fork_src.resolve()))  # the fork's transformers, not the installed one
    import torch

    if not torch.cuda.is_available():
        print("train_throughput.py needs a CUDA GPU", file=sys.stderr)
        return 2
    torch.backends.cuda.matmul.allow_tf32 = True
    report: dict = {"environment": environment(), "shape": {**SHAPE, "seq": SEQ, "batch": BATCH}, "runs": []}
    print(json.dumps(report["environment"]), flush=True)

    def record(result: dict) -> None:
        report["runs"].append(result)
        shown = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in result.items() if k != "profile"}
        print(json.dumps(shown), flush=True)
        if "profile" in result:
            print(json.dumps(result["profile"], indent=1), flush=True)
        if args.out:
            args.out.write_text(json.dumps(report, indent=2))

    if any(MODES[m].get("liger") for m in args.modes.split(",") if m):
        liger_dir = args.fork_src.resolve().parent / "examples" / args.scaffolded
        sys.path.insert(0, str(liger_dir))
        __import__(f"liger_{args.scaffolded}")  # registers the scaffolded model type in Liger's table
    models = [m for m in ("llama", args.scaffolded) if not args.models or m in args.models.split(",")]
    for mode in filter(None, args.modes.split(",")):
        for model_type in models:  # interleaved: same card state for both
            try:
                profile = model_type == args.scaffolded and mode == args.profile
                result = run_mode(model_type, mode, args.warmup, args.steps, profile=profile)
            except torch.OutOfMemoryError:
                result = {"model": model_type, "mode": mode, "error": "out of memory"}
            except Exception as error:  # e.g. a compile failure: record it, go on with the next mode
                result = {"model": model_type, "mode": mode, "error": f"{type(error).__name__}: {str(error)[:300]}"}
            free()
            record(result)
    if args.qlora:
        for model_type in ("llama", args.scaffolded):
            record(run_qlora(model_type, 2, 5))
    launcher = (
        args.launcher or args.fork_src.resolve().parent / "examples" / args.scaffolded / f"train_{args.scaffolded}.py"
    )
    for recipe in filter(None, (r.strip() for r in args.recipes.split(";"))):
        record(run_recipe(launcher, args.scaffolded, recipe, args.fork_src))
    print_table(report["runs"], args.scaffolded)
    print_recipes(report["runs"])
    return 0


def run_recipe(launcher: Path, model_type: str, recipe: str, fork_src: Path, steps: int = 30) -> dict:
    """The generated launcher at the benchmark shape in its own process; the metrics of its last
    logged window (steps 21-30 of 30: compilation and warm-up are behind it)."""
    import os
    import shlex
    import subprocess

    from transformers import AutoConfig

    flags = [] if recipe == "default" else shlex.split(recipe)
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.json"
        AutoConfig.for_model(model_type, **SHAPE).to_json_file(config)
        cmd = [
            sys.executable, str(launcher), "--config", str(config), "--max-steps", str(steps),
            "--per-device-batch-size", str(BATCH), "--seq-length", str(SEQ), "--logging-steps", "10",
            "--save-steps", "-1", "--output-dir", str(Path(tmp) / "out"), *flags,
        ]  # fmt: skip
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(fork_src.resolve()), os.environ.get("PYTHONPATH", "")]),
        }
        start = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=400)
        metrics = Path(tmp) / "out" / "metrics.jsonl"
        result = {"model": f"launcher {model_type}", "mode": recipe, "wall_s": time.perf_counter() - start}
        if proc.returncode != 0 or not metrics.is_file():
            tail = (proc.stdout + proc.stderr).strip().splitlines()[-3:]
            return {**result, "error": f"exit {proc.returncode}: {' | '.join(tail)[:400]}"}
        last = json.loads(metrics.read_text().splitlines()[-1])
        banner = next((line for line in proc.stdout.splitlines() if "process(es)" in line), "")
        return {
            **result,
            **{k: last[k] for k in ("step", "loss", "tokens_per_s", "mfu", "peak_memory_gib") if k in last},
            "banner": banner,
        }


def print_recipes(runs: list[dict]) -> None:
    recipes = [r for r in runs if str(r.get("model", "")).startswith("launcher")]
    if not recipes:
        return
    print("\n| launcher recipe | tok/s | MFU | peak GiB |\n| --- | ---: | ---: | ---: |")
    for r in recipes:
        if "tokens_per_s" not in r:
            print(f"| {r['mode']} | {r.get('error', '-')} | | |")
            continue
        print(
            f"| {r['mode']} | {r['tokens_per_s']:,.0f} | {r.get('mfu', 0):.1%} | {r.get('peak_memory_gib', 0):.1f} |"
        )


def print_table(runs: list[dict], scaffolded: str) -> None:
    runs = [r for r in runs if not str(r.get("model", "")).startswith("launcher")]
    by = {(r["model"], r["mode"]): r for r in runs}
    print(
        f"\n| mode | Llama tok/s | {scaffolded} tok/s | ratio | Llama MFU | {scaffolded} MFU | Llama peak GiB | {scaffolded} peak GiB |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for mode in dict.fromkeys(r["mode"] for r in runs):
        a, b = by.get(("llama", mode), {}), by.get((scaffolded, mode), {})
        if "tokens_per_s" not in a or "tokens_per_s" not in b:
            print(f"| {mode} | {a.get('error', '-')} | {b.get('error', '-')} | | | | | |")
            continue
        ratio = b["tokens_per_s"] / a["tokens_per_s"]
        mfu = (f"{a['mfu']:.1%}", f"{b['mfu']:.1%}") if "mfu" in a else ("-", "-")
        print(
            f"| {mode} | {a['tokens_per_s']:,.0f} | {b['tokens_per_s']:,.0f} | {ratio:.3f} | {mfu[0]} | {mfu[1]} "
            f"| {a['peak_memory_gib']:.1f} | {b['peak_memory_gib']:.1f} |"
        )


if __name__ == "__main__":
    raise SystemExit(main())
