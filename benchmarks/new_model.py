"""Wall time of `scaffold new-model` (a cold process, as a user runs it) on the sdist fork.

    python benchmarks/new_model.py [--repeat 5]

Builds a fork from the transformers sdist once, then for each case clones it afresh and times
`scaffold new-model` end to end (interpreter start, render, ruff, libcst edits, atomic write).
Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from transformers_scaffold.fixture import build_fork

CASES = {
    "--template decoder": ["--template", "decoder"],
    "--template encoder": ["--template", "encoder"],
    "--like llama": ["--like", "llama"],
    "--like xlm-roberta": ["--like", "xlm-roberta"],
    "--template decoder --dry-run": ["--template", "decoder", "--dry-run"],
}


def _time_once(golden: Path, work: Path, args: list[str]) -> float:
    fork = work / "fork"
    if fork.exists():
        shutil.rmtree(fork)
    subprocess.run(["git", "clone", "-q", "--local", str(golden), str(fork)], check=True)
    cmd = [sys.executable, "-m", "transformers_scaffold", "new-model", "acme", "--yes", "--repo", str(fork), *args]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {proc.stderr.strip()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        golden = build_fork(Path(tmp) / "golden")
        models = sum(1 for p in (golden / "src/transformers/models").iterdir() if p.is_dir())
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
        print(f"date: {time.strftime('%Y-%m-%d')}; fork: transformers sdist, {models} model packages\n")
        print("| command | median (s) | min (s) | max (s) |")
        print("| --- | --- | --- | --- |")
        for label, args in CASES.items():
            times = [_time_once(golden, Path(tmp), args) for _ in range(opts.repeat)]
            print(
                f"| `new-model acme {label}` | {statistics.median(times):.2f} | {min(times):.2f} | {max(times):.2f} |"
            )


if __name__ == "__main__":
    main()
