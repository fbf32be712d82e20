"""Helpers of the launcher proofs: run the generated scripts as users do (torchrun, accelerate
launch, python) against a fork's `src/`, read their metrics, and make a real word-level tokenizer."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

SENTENCE = "the quick brown fox jumps over the lazy dog"
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def env(fork: Path, **extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("ACCELERATE_")}
    return {
        **base,
        "PYTHONPATH": str(fork / "src"),
        "OMP_NUM_THREADS": "1",
        "TOKENIZERS_PARALLELISM": "false",
        **extra,
    }


def script(fork: Path, module: str, name: str = "train") -> Path:
    return fork / "examples" / module / f"{name}_{module}.py"


def run(cmd: list[str], fork: Path, timeout: int = 600, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=fork, env=env(fork, **extra), capture_output=True, text=True, timeout=timeout)


def python(fork: Path, module: str, *args: str, name: str = "train") -> subprocess.CompletedProcess[str]:
    return run([sys.executable, str(script(fork, module, name)), *args], fork)


def torchrun(fork: Path, module: str, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [
        sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2",
        "--master_addr", "127.0.0.1", "--master_port", str(free_port()),
        str(script(fork, module)), *args,
    ]  # fmt: skip
    return run(cmd, fork)


def metrics(output_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (output_dir / "metrics.jsonl").read_text().splitlines()]


def output(proc: subprocess.CompletedProcess[str]) -> str:
    return proc.stdout[-3000:] + proc.stderr[-3000:]


def word_tokenizer(fork: Path, dest: Path) -> Path:
    """A real word-level PreTrainedTokenizerFast over the sentence's words (with [MASK]), saved
    with save_pretrained: what a user's own tokenizer directory looks like."""
    code = f"""
from tokenizers import Tokenizer, models, pre_tokenizers
from transformers import PreTrainedTokenizerFast
specials = {SPECIALS!r}
words = sorted(set({SENTENCE!r}.split()))
vocab = {{token: i for i, token in enumerate(specials + words)}}
core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
core.pre_tokenizer = pre_tokenizers.Whitespace()
tok = PreTrainedTokenizerFast(tokenizer_object=core, pad_token="[PAD]", unk_token="[UNK]", cls_token="[CLS]",
                              sep_token="[SEP]", mask_token="[MASK]")
tok.save_pretrained({str(dest)!r})
print(len(tok))
"""
    proc = subprocess.run([sys.executable, "-c", code], env=env(fork), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return dest


def dropout_config(fork: Path, module: str, dest: Path, dropout: float = 0.1) -> Path:
    """The launcher's tiny config with every dropout probability set to `dropout`, as a config.json."""
    code = f"""
import importlib.util, json
spec = importlib.util.spec_from_file_location("train", {str(script(fork, module))!r})
train = importlib.util.module_from_spec(spec)
spec.loader.exec_module(train)
config = train.build_config(train.parse_args([]))
fields = [k for k, v in config.to_dict().items() if "dropout" in k and isinstance(v, float)]
assert fields, "no dropout field"
for key in fields:
    setattr(config, key, {dropout})
config.to_json_file({str(dest)!r})
print(json.dumps(fields))
"""
    proc = subprocess.run([sys.executable, "-c", code], env=env(fork), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return dest
