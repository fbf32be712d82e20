"""Training throughput of a scaffolded decoder against Transformers' own `LlamaForCausalLM`.

Both models get the same shape (ANCHORS.md §7: hidden 2048, 16 layers, 16 heads, ffn 5632, vocab
32000, seq 2048, batch 8; ~953M parameters), fp32 weights under bf16 autocast, fused AdamW, in ONE
process, interleaved mode by mode so both see the same card state. For each of {SDPA, SDPA +
gradient checkpointing, compile, compile + checkpointing} it prints tokens/s, MFU and peak memory,
and the scaffolded/Llama ratio. `--qlora` adds the peak memory (and speed) of the QLoRA recipe
(bitsandbytes 4-bit nf4 base, LoRA r=16 on every projection, checkpointing) for both models.

    python benchmarks/train_throughput.py --fork-src F/src --scaffolded acme --out results.json

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
PEAK_BF16_FLOPS = 989e12  # H100 SXM dense bf16 (ANCHORS.md §7)
MODES = {
    "sdpa": {"compile": False, "checkpointing": False},
    "sdpa+ckpt": {"compile": False, "checkpointing": True},
    "compile": {"compile": True, "checkpointing": False},
    "compile+ckpt": {"compile": True, "checkpointing": True},
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--fork-src", type=Path, required=True, help="src/ of the fork with the scaffolded model")
    p.add_argument("--scaffolded", required=True, help="model type of the scaffolded decoder (e.g. acme)")
    p.add_argument("--modes", default=",".join(MODES), help="comma-separated subset of " + ",".join(MODES))
    p.add_argument("--warmup", type=int, default=3, help="untimed steps (compilation happens here)")
    p.add_argument("--steps", type=int, default=10, help="timed steps")
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


def run_mode(model_type: str, mode: str, warmup: int, steps: int, profile: bool = False) -> dict:
    import torch

    settings = MODES[mode]
    model, config = build(model_type)
    if settings["checkpointing"]:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    model.train()
    fpt = flops_per_token(model, config)
    params = sum(p.numel() for p in model.parameters())
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, fused=True)
    step_model = torch.compile(model) if settings["compile"] else model
    batch = batch_on_gpu()

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
        result["profile"] = profile_steps(step)
    return result  # the caller frees the model (the closure above still holds it here)


def profile_steps(step, steps: int = 3) -> str:
    import torch
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CUDA]) as prof:
        for _ in range(steps):
            step()
        torch.cuda.synchronize()
    return prof.key_averages().table(sort_by="cuda_time_total", row_limit=25, max_name_column_width=70)


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
            print(result["profile"], flush=True)
        if args.out:
            args.out.write_text(json.dumps(report, indent=2))

    for mode in args.modes.split(","):
        for model_type in ("llama", args.scaffolded):  # interleaved: same card state for both
            try:
                profile = model_type == args.scaffolded and mode == args.profile
                result = run_mode(model_type, mode, args.warmup, args.steps, profile=profile)
            except torch.OutOfMemoryError:
                result = {"model": model_type, "mode": mode, "error": "out of memory"}
            free()
            record(result)
    if args.qlora:
        for model_type in ("llama", args.scaffolded):
            record(run_qlora(model_type, 2, 5))
    print_table(report["runs"], args.scaffolded)
    return 0


def print_table(runs: list[dict], scaffolded: str) -> None:
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
