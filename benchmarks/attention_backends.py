"""Causal attention forward + backward at the training benchmark's shape, per SDPA backend.

batch 8, 16 heads, seq 2048, head dim 128, bf16 (one layer of `train_throughput.py`'s shape). Each
backend runs with `is_causal=True` (what SDPA gets when the causal mask is skipped) and with the
causal mask as a boolean tensor (what it gets when the mask is materialized, as under a whole-model
torch.compile on torch < 2.14); `flex_attention` runs compiled with a causal block mask. Output is
checked against the math backend in float32 (relative error), then timed with CUDA events: the
median of 20 fwd+bwd after 5 warm-ups. TFLOP/s count the causal half only (fwd 2 matmuls, bwd 5,
each 2*b*h*s*s*d/2 FLOP). Needs a CUDA GPU.

    python benchmarks/attention_backends.py --out attention.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

B, H, S, D = 8, 16, 2048, 128


def timed(fn, warmup: int = 5, reps: int = 20) -> float:
    import torch

    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        begin, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        begin.record()
        fn()
        end.record()
        torch.cuda.synchronize()
        times.append(begin.elapsed_time(end))
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=None)
    args = p.parse_args(argv)
    import torch
    import torch.nn.functional as F
    from torch.nn.attention import SDPBackend, sdpa_kernel

    if not torch.cuda.is_available():
        print("attention_backends.py needs a CUDA GPU", file=sys.stderr)
        return 2
    gen = torch.Generator(device="cuda").manual_seed(0)
    q, k, v = (torch.randn(B, H, S, D, device="cuda", dtype=torch.bfloat16, generator=gen) for _ in range(3))
    grad = torch.randn(B, H, S, D, device="cuda", dtype=torch.bfloat16, generator=gen)
    mask = torch.ones(S, S, device="cuda", dtype=torch.bool).tril()
    ref = F.scaled_dot_product_attention(q[:1].float(), k[:1].float(), v[:1].float(), is_causal=True)
    flops_fwd = 2 * 2 * B * H * S * S * D / 2
    results = []

    def bench(name: str, attend) -> None:
        leaves = [t.detach().requires_grad_() for t in (q, k, v)]

        def fwd_bwd() -> None:
            out = attend(*leaves)
            out.backward(grad)

        try:
            with torch.no_grad():
                out = attend(q[:1], k[:1], v[:1]).float()
            error = float((out - ref).norm() / ref.norm())
            fwd = timed(lambda: attend(*leaves).detach())
            total = timed(fwd_bwd)
        except Exception as exc:  # a backend that refuses the inputs
            results.append({"backend": name, "error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"})
            print(json.dumps(results[-1]), flush=True)
            return
        bwd = total - fwd
        results.append(
            {
                "backend": name,
                "rel_error_vs_fp32": round(error, 5),
                "fwd_ms": round(fwd, 3),
                "bwd_ms": round(bwd, 3),
                "fwd_tflops": round(flops_fwd / fwd / 1e9, 1),
                "bwd_tflops": round(2.5 * flops_fwd / bwd / 1e9, 1),
                "layers16_fwd_bwd_ms": round(16 * total, 1),
            }
        )
        print(json.dumps(results[-1]), flush=True)

    backends = {
        "flash": SDPBackend.FLASH_ATTENTION,
        "cudnn": SDPBackend.CUDNN_ATTENTION,
        "efficient": SDPBackend.EFFICIENT_ATTENTION,
    }
    for name, backend in backends.items():
        for causal in (True, False):
            label = f"{name} {'is_causal' if causal else 'bool mask'}"

            def attend(a, b, c, backend=backend, causal=causal):
                with sdpa_kernel([backend]):
                    if causal:
                        return F.scaled_dot_product_attention(a, b, c, is_causal=True)
                    return F.scaled_dot_product_attention(a, b, c, attn_mask=mask)

            bench(label, attend)

    def default_attend(a, b, c):
        return F.scaled_dot_product_attention(a, b, c, is_causal=True)

    bench("default order is_causal", default_attend)
    try:
        from torch.nn.attention.flex_attention import create_block_mask, flex_attention

        block_mask = create_block_mask(lambda b, h, qi, ki: qi >= ki, None, None, S, S, device="cuda")
        flex = torch.compile(flex_attention)
        bench("flex_attention (compiled)", lambda a, b, c: flex(a, b, c, block_mask=block_mask))
    except Exception as exc:
        results.append({"backend": "flex_attention (compiled)", "error": f"{type(exc).__name__}: {exc}"[:200]})
    if args.out:
        args.out.write_text(
            json.dumps(
                {"device": torch.cuda.get_device_name(), "torch": torch.__version__, "results": results}, indent=2
            )
        )
    print("\n| backend | fwd ms | bwd ms | fwd TFLOP/s | bwd TFLOP/s | 16 layers fwd+bwd ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        if "error" in r:
            print(f"| {r['backend']} | {r['error']} | | | | |")
        else:
            print(
                f"| {r['backend']} | {r['fwd_ms']} | {r['bwd_ms']} | {r['fwd_tflops']} | {r['bwd_tflops']} | {r['layers16_fwd_bwd_ms']} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
