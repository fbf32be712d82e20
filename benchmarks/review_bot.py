"""Cost of `scaffold review`: the pure builder at the input caps, and a cold CLI run against the
fake GitHub on 127.0.0.1 (tests/review/fake_github.py), counting HTTP requests.

    python benchmarks/review_bot.py [--repeat 5]

Prints a Markdown table for docs/benchmarks.md. The fake server answers instantly, so the CLI
figures are scaffold's own cost (interpreter start, imports, validation, github3, rendering) and
the request counts are what a real GitHub would see.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.review.fake_github import FakeGitHub, FakePull  # noqa: E402
from transformers_scaffold.review.builder import build_review  # noqa: E402
from transformers_scaffold.review.diff import file_diff  # noqa: E402
from transformers_scaffold.review.findings import parse_findings  # noqa: E402

TOKEN = "bench-token-0123456789"


def _patch(lines: int) -> str:
    return f"@@ -0,0 +1,{lines} @@\n" + "\n".join(f"+line {i}" for i in range(1, lines + 1))


def _findings(n_files: int, per_file: int) -> dict:
    findings = [
        {
            "code": "SCF101",
            "name": "rule",
            "severity": ("error", "warning", "info")[i % 3],
            "path": f"src/f{f:04}.py",
            "line": 1 + i * 7,
            "end_line": 1 + i * 7,
            "col": 1,
            "message": f"problem {i} in `f{f}`",
            "fix": None,
            "fixable": False,
        }  # fmt: skip
        for f in range(n_files)
        for i in range(per_file)
    ]
    return {"version": 1, "tool": "transformers-scaffold", "findings": findings}


def bench_builder(repeat: int) -> tuple[str, float]:
    raw = json.dumps(_findings(1000, 5)).encode()  # 5,000 findings: the schema's cap
    files = {f"src/f{f:04}.py": file_diff(f"src/f{f:04}.py", "added", _patch(20)) for f in range(3000)}
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        build_review(parse_findings(raw), files, commit_sha="a" * 40)
        times.append(time.perf_counter() - start)
    return f"validate + build, 5,000 findings, 3,000 files ({len(raw) // 1024} KiB artifact)", statistics.median(times)


def bench_cli(repeat: int, n_files: int, per_file: int) -> list[tuple[str, float, int]]:
    rows = []
    scaffold = Path(sys.executable).with_name("scaffold")
    env = {**os.environ, "GITHUB_TOKEN": TOKEN}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "findings.json"
        path.write_text(json.dumps(_findings(n_files, per_file)))
        for label in ("first run", "second run (same findings)"):
            times, requests = [], 0
            for _ in range(repeat):
                with FakeGitHub(token=TOKEN) as github:
                    files = [
                        {"filename": f"src/f{f:04}.py", "status": "added", "patch": _patch(40)} for f in range(n_files)
                    ]
                    github.pulls[7] = FakePull(7, "a" * 40, files)
                    args = [str(scaffold), "review", "--findings", str(path), "--repo-slug", "acme/transformers", "--pr", "7", "--api-url", github.url]  # fmt: skip
                    if label.startswith("second"):
                        subprocess.run(args, env=env, check=True, capture_output=True)
                        github.requests.clear()
                    start = time.perf_counter()
                    subprocess.run(args, env=env, check=True, capture_output=True)
                    times.append(time.perf_counter() - start)
                    requests = len(github.requests)
            rows.append(
                (
                    f"`scaffold review`, {n_files} files, {n_files * per_file} findings, {label}",
                    statistics.median(times),
                    requests,
                )
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    label, seconds = bench_builder(args.repeat)
    print(
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"Date: {time.strftime('%Y-%m-%d', time.gmtime())}; median of {args.repeat}\n")
    print("| case | wall time | HTTP requests |\n| --- | --- | --- |")
    print(f"| {label} | {seconds * 1000:.0f} ms | 0 |")
    for n_files, per_file in ((10, 3), (400, 1)):
        for row_label, secs, requests in bench_cli(args.repeat, n_files, per_file):
            print(f"| {row_label} | {secs:.2f} s | {requests} |")


if __name__ == "__main__":
    main()
