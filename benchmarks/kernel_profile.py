"""Where a training step's GPU time goes: torch.profiler over a few steps, kernels grouped by kind.

`profile_steps(step)` runs `step()` a few times under the profiler (CUDA activity only) and returns
the kernel time per step, the time per category (matrix products, attention, optimizer, Liger's and
inductor's Triton kernels, copies/casts, other elementwise) and the top kernels. Used by
`train_throughput.py --profile MODE`.
"""

from __future__ import annotations

# Kernel-name fragments -> what the time is spent on (first match wins; lower-cased names).
CATEGORIES = [
    ("attention", ("flash", "fmha", "cudnn", "attention", "sdpa")),
    ("optimizer", ("adam", "multi_tensor", "foreach")),
    ("matmul", ("gemm", "nvjet", "xmma", "cutlass", "matmul", "sm90_", "splitk")),
    ("liger (triton)", ("liger", "_rms_norm", "_rope", "swiglu", "silu_mul", "cross_entropy", "_geglu")),
    ("inductor (triton)", ("triton_",)),
    ("copies/casts", ("copy", "cast", "fill", "memset", "memcpy")),
]


def categorize(name: str) -> str:
    low = name.lower()
    return next((cat for cat, keys in CATEGORIES if any(k in low for k in keys)), "other elementwise")


def profile_steps(step, steps: int = 3) -> dict:
    import torch
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CUDA]) as prof:
        for _ in range(steps):
            step()
        torch.cuda.synchronize()
    averages = prof.key_averages()
    events = [e for e in averages if e.device_type.name == "CUDA"]  # kernels, not the ops launching them
    kernels = sorted(
        ((e.key, getattr(e, "self_device_time_total", 0) / 1000 / steps, e.count // steps) for e in events),
        key=lambda row: -row[1],
    )
    kernels = [row for row in kernels if row[1] > 0]
    by_category: dict[str, float] = {}
    for name, ms, _ in kernels:
        by_category[categorize(name)] = by_category.get(categorize(name), 0.0) + ms
    return {
        "gpu_ms_per_step": sum(ms for _, ms, _ in kernels),
        "by_category_ms": dict(sorted(by_category.items(), key=lambda kv: -kv[1])),
        "table": averages.table(sort_by="self_device_time_total", row_limit=12, max_name_column_width=60),
        "top_kernels": [
            {"name": n[:110], "ms_per_step": round(ms, 3), "calls_per_step": c} for n, ms, c in kernels[:25]
        ],
    }
