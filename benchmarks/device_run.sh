#!/usr/bin/env bash
# How the GPU figures in docs/benchmarks.md ("Training throughput (H200)", "(H100)") were made.
#
#   bash benchmarks/device_run.sh bundle          # here: scaffold `acme` into a fresh sdist fork, pack
#                                                 #   it into .bench/ (put wheels the GPU image lacks in
#                                                 #   .bench/<set>/: bnb, ds, liger = liger-kernel 0.8.5)
#   bash benchmarks/device_run.sh throughput      # there, 2 GPUs: train_throughput.py on GPU 0 while
#                                                 #   the launcher's recipe variants run on GPU 1
#   bash benchmarks/device_run.sh recipes|accum   # there, 2 GPUs: more launcher recipe variants
#   bash benchmarks/device_run.sh proofs          # there, 2 GPUs: launcher_proofs.py (DDP, FSDP2, ZeRO)
#   bash benchmarks/device_run.sh gputests        # there, 1 GPU: the generated efficiency tests
#   bash benchmarks/device_run.sh h200            # there, 1 H200: Liger parity test, launcher recipes,
#                                                 #   train_throughput.py modes + profile, single-GPU proof
#   bash benchmarks/device_run.sh attention       # there, 1 GPU: SDPA backends at the benchmark shape
#
# The GPU machine has torch and accelerate but an older transformers and no bitsandbytes/DeepSpeed:
# the fork's own src/ goes first on PYTHONPATH, wheels are installed into /tmp/site.
set -uo pipefail
phase=${1:?bundle|throughput|proofs}
here=$(cd "$(dirname "$0")/.." && pwd)
bundle=$here/.bench
out=${OUT:-/tmp/out}

setup() {
    mkdir -p /tmp/site /tmp/f "$out"
    python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site "$bundle"/"$1"/*.whl || exit 1
    tar xzf "$bundle/fork.tgz" -C /tmp/f
    export PYTHONPATH=/tmp/f/src:/tmp/site PYTHONUNBUFFERED=1 TORCHINDUCTOR_CACHE_DIR=/tmp/inductor
    export NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1 NVSHMEM_DISABLE_NVLS=1
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
    python3 -c "import torch, transformers, accelerate; print('torch', torch.__version__, 'cuda', torch.version.cuda, 'transformers', transformers.__version__, 'accelerate', accelerate.__version__)"
}

bench_config() {
    python3 - "$1" <<'EOF'
import sys
from transformers import AutoConfig
sys.path.insert(0, "benchmarks")
from train_throughput import SHAPE
AutoConfig.for_model("acme", **SHAPE).to_json_file(sys.argv[1])
EOF
}

recipe() {  # gpu, name, extra launcher flags...: the launcher at the benchmark shape, 30 steps
    local gpu=$1 name=$2
    shift 2
    CUDA_VISIBLE_DEVICES=$gpu timeout 300 python3 /tmp/f/examples/acme/train_acme.py --config /tmp/bench_config.json \
        --max-steps 30 --per-device-batch-size 8 --seq-length 2048 --logging-steps 10 --save-steps -1 \
        --output-dir "/tmp/recipe-$name" "$@" >"/tmp/recipe-$name.log" 2>&1
    echo "=== recipe $name ($*): exit $?"
    grep -aoE "[A-Za-z]*Error.*" "/tmp/recipe-$name.log" | tail -3
    cat "/tmp/recipe-$name/metrics.jsonl"
}

case $phase in
bundle)
    . "$here/.venv/bin/activate"
    work=$(mktemp -d)
    python -c "from transformers_scaffold.fixture import build_fork; build_fork('$work/f')" >/dev/null
    (cd "$work/f" && scaffold new-model acme --template decoder --repo . --yes >/dev/null) || exit 1
    mkdir -p "$bundle"
    tar czf "$bundle/fork.tgz" --exclude=__pycache__ -C "$work/f" src/transformers examples/acme conftest.py \
        tests/__init__.py tests/models/__init__.py tests/models/acme
    rm -rf "$work"
    du -sh "$bundle"/*
    ;;
throughput)
    setup bnb
    bench_config /tmp/bench_config.json
    CUDA_VISIBLE_DEVICES=0 timeout 560 python3 benchmarks/train_throughput.py --fork-src /tmp/f/src \
        --scaffolded acme --qlora --profile compile --out "$out/bench.json" >"$out/bench.log" 2>&1 &
    (
        recipe 1 default
        recipe 1 cudnn --sdpa-backend cudnn
        recipe 1 full-logits --no-chunked-loss
        recipe 1 eager --no-compile
    ) >"$out/recipe.log" 2>&1 &
    wait
    cat "$out/recipe.log"
    grep -vE "^\{|^$" "$out/bench.log" | tail -45
    ;;
recipes)  # round two, after the profile showed cuDNN's SDPA backward at 18% of the step
    setup ds
    bench_config /tmp/bench_config.json
    { recipe 0 default; recipe 0 flash-full-logits --sdpa-backend flash --no-chunked-loss; } >"$out/recipe0.log" 2>&1 &
    { recipe 1 flash --sdpa-backend flash; CUDA_VISIBLE_DEVICES=1 timeout 200 python3 benchmarks/train_throughput.py \
        --fork-src /tmp/f/src --scaffolded acme --modes sdpa,sdpa --out "$out/sdpa_repeat.json" 2>&1 | grep "^|"; } \
        >"$out/recipe1.log" 2>&1 &
    wait
    cat "$out/recipe0.log" "$out/recipe1.log"
    ;;
accum)  # round three: the same micro-batch shape, the optimizer step amortized over 4 micro-batches
    setup ds
    bench_config /tmp/bench_config.json
    recipe 0 accum4 --gradient-accumulation-steps 4 >"$out/accum0.log" 2>&1 &
    recipe 1 accum4-full-logits --gradient-accumulation-steps 4 --no-chunked-loss >"$out/accum1.log" 2>&1 &
    wait
    cat "$out/accum0.log" "$out/accum1.log"
    ;;
h200)  # one H200, one call (docs/benchmarks.md "Training throughput (H200)"): the Liger parity test, the
    # launcher recipes, every in-process mode for both models with the profile of the default recipe's loop,
    # and the single-GPU launcher proof. `attention` (below) measured the SDPA backends.
    setup liger
    (cd /tmp/f && timeout 60 python3 -m pytest tests/models/acme/test_efficiency_acme.py -q -rA -p no:cacheprovider \
        -W ignore -k "liger" 2>&1 | grep -E "^(PASSED|FAILED|ERROR|SKIPPED)|passed|failed|Error" | tail -6)
    timeout 190 python3 benchmarks/train_throughput.py --fork-src /tmp/f/src --scaffolded acme --modes "" \
        --recipes "default;--kernels liger;--kernels none" --out "$out/recipes.json" >"$out/recipes.log" 2>&1
    grep -aE "^\|" "$out/recipes.log"
    timeout 300 python3 benchmarks/train_throughput.py --fork-src /tmp/f/src --scaffolded acme \
        --modes sdpa,compile,liger,liger+compile,regional+liger-flce,regional+liger --profile regional+liger-flce \
        --out "$out/bench.json" >"$out/bench.log" 2>&1
    grep -aE "^\|" "$out/bench.log"
    timeout 75 python3 benchmarks/launcher_proofs.py --fork /tmp/f --module acme --gpus 1 --configs single_gpu \
        --out "$out/proofs.json" 2>&1 | tail -2
    ;;
attention)  # one GPU: SDPA backends (cuDNN, FlashAttention-2, efficient; is_causal vs a bool mask), flex_attention
    setup liger
    timeout 100 python3 benchmarks/attention_backends.py --out "$out/attention.json" 2>&1 | grep -E "^\|"
    ;;
gputests)  # the generated efficiency tests with a GPU present (fp16 + GradScaler, inductor)
    setup bnb
    cd /tmp/f && timeout 400 python3 -m pytest tests/models/acme/test_efficiency_acme.py -q -rA -p no:cacheprovider \
        -W ignore 2>&1 | grep -E "^(PASSED|FAILED|ERROR|SKIPPED)|passed|failed|Error" | tail -40
    ;;
proofs)
    setup ds
    DS_BUILD_OPS=0 python3 -m pip install -q --no-index --no-deps --no-build-isolation --target /tmp/site \
        "$bundle"/ds/deepspeed-*.tar.gz 2>&1 | tail -3
    python3 -c "import deepspeed; print('deepspeed', deepspeed.__version__)"
    timeout 540 python3 benchmarks/launcher_proofs.py --fork /tmp/f --module acme --gpus 2 --out "$out/proofs.json"
    ;;
*)
    echo "unknown phase $phase" >&2
    exit 2
    ;;
esac
