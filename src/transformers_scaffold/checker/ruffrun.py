"""Run ruff (`ruff check` / `ruff format --check`) once per run and keep its JSON output.

Ruff is the binary next to `sys.executable` when there is one (it ships with this package's
dependencies), else `python -m ruff`. It reads the checked repository's own ruff settings.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from transformers_scaffold.checker.context import CheckContext
from transformers_scaffold.errors import UserError

# Many thousands of paths overflow the command line; ruff is fast enough to batch.
BATCH = 2000


def ruff_command() -> list[str]:
    local = Path(sys.executable).parent / "ruff"
    if local.is_file():
        return [str(local)]
    found = shutil.which("ruff")
    return [found] if found else [sys.executable, "-m", "ruff"]


def python_files(ctx: CheckContext) -> list[str]:
    return [f for f in ctx.files if f.endswith((".py", ".pyi"))]


def run_ruff(ctx: CheckContext, args: list[str], files: list[str]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for start in range(0, len(files), BATCH):
        cmd = [
            *ruff_command(),
            *args,
            "--output-format",
            "json",
            "--force-exclude",
            "--",
            *files[start : start + BATCH],
        ]
        try:
            proc = subprocess.run(cmd, cwd=ctx.root, capture_output=True, text=True)
        except OSError as exc:
            raise UserError(f"could not run ruff ({exc}); install it with `pip install ruff`") from exc
        if proc.returncode not in (0, 1):
            raise UserError(f"ruff failed: {proc.stderr.strip()[:300]}; fix the ruff settings in pyproject.toml")
        out = proc.stdout.strip()
        results.extend(json.loads(out) if out.startswith("[") else [])
    return results


def relpath(ctx: CheckContext, filename: str) -> str:
    path = Path(filename)
    try:
        return path.resolve().relative_to(ctx.root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _cache_flag(ctx: CheckContext) -> list[str]:
    # `--no-cache` runs (and read-only checkouts) must not leave a .ruff_cache behind either.
    return [] if ctx.cache is not None else ["--no-cache"]


def ruff_check(ctx: CheckContext) -> list[dict[str, Any]]:
    args = ["check", "--no-fix", "--exit-zero", *_cache_flag(ctx)]
    return ctx.memo("ruff-check", lambda: run_ruff(ctx, args, python_files(ctx)))


def ruff_format(ctx: CheckContext) -> list[dict[str, Any]]:
    args = ["format", "--check", *_cache_flag(ctx)]
    return ctx.memo("ruff-format", lambda: run_ruff(ctx, args, python_files(ctx)))


def ruff_fix(ctx: CheckContext, files: list[str], formatter: bool) -> None:
    args = ["format"] if formatter else ["check", "--fix", "--exit-zero", "--quiet"]
    for start in range(0, len(files), BATCH):
        subprocess.run(
            [*ruff_command(), *args, "--force-exclude", "--", *files[start : start + BATCH]],
            cwd=ctx.root,
            capture_output=True,
        )
