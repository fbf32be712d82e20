"""Run ruff (`ruff check` / `ruff format --check`) once per run and keep its JSON output.

Ruff is the version the fork pins (`ruffpin`: the installed one when it matches, else a cached or
freshly installed copy of the pin), else the installed one with a note in the report. It reads the
checked repository's own ruff settings.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import threading
from pathlib import Path
from typing import Any

from transformers_scaffold.checker.context import CheckContext
from transformers_scaffold.checker.ruffpin import RuffBinary, resolve
from transformers_scaffold.errors import UserError
from transformers_scaffold.facts import layout
from transformers_scaffold.facts.conventions import read_ruff_pin

_RESOLVING = threading.Lock()
# Many thousands of paths overflow the command line; ruff is fast enough to batch.
BATCH = 2000


def pinned_command(ctx: CheckContext) -> list[str]:
    """The fork's pinned ruff (see `ruffpin`); a note in the report when another version runs."""

    def compute() -> RuffBinary:
        facts = ctx.facts
        binary = resolve(read_ruff_pin(facts.read(layout.SETUP_PY), facts.read(layout.PYPROJECT)))
        if binary.note:
            ctx.notes.append(binary.note)
        return binary

    with _RESOLVING:  # SCF001 and SCF002 prefetch in two threads: resolve (and install) once
        return list(ctx.memo("ruff-binary", compute).command)


def python_files(ctx: CheckContext) -> list[str]:
    """Python files in scope, within the paths the fork's `make style` lints (`RUFF_TARGETS`)."""
    targets = ctx.facts.ruff_targets
    files = [f for f in ctx.files if f.endswith((".py", ".pyi"))]
    if targets:
        files = [f for f in files if any(f == t or f.startswith(t + "/") for t in targets)]
    return files


def run_ruff(ctx: CheckContext, args: list[str], files: list[str]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for start in range(0, len(files), BATCH):
        cmd = [
            *pinned_command(ctx),
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
        out = proc.stdout.strip()
        # `ruff format --check` exits 2 on a file that does not parse, with its JSON report intact.
        if proc.returncode not in (0, 1) and not (proc.returncode == 2 and out.startswith("[")):
            raise UserError(f"ruff failed: {proc.stderr.strip()[:300]}; fix the ruff settings in pyproject.toml")
        # Syntax errors are SCF003's (parse-error), reported once whichever tool sees them.
        results.extend(i for i in (json.loads(out) if out.startswith("[") else []) if not is_syntax_error(i))
    return results


def is_syntax_error(item: dict[str, Any]) -> bool:
    """Ruff's report of a file that does not parse (`invalid-syntax` since 0.8; `E999` or no code before)."""
    code = item.get("code")
    if code in ("invalid-syntax", "E999"):
        return True
    return code is None and str(item.get("message", "")).startswith(("SyntaxError", "Failed to parse"))


def relpath(ctx: CheckContext, filename: str) -> str:
    path = Path(filename)
    if not path.is_absolute():
        return path.as_posix()
    try:
        return path.resolve().relative_to(ctx.root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _cache_flag(ctx: CheckContext) -> list[str]:
    # `--no-cache` runs (and read-only checkouts) must not leave a .ruff_cache behind either.
    return [] if ctx.cache is not None else ["--no-cache"]


def _config_key(ctx: CheckContext) -> str:
    """Ruff's version and the repository's ruff settings: cached results depend on both."""

    def compute() -> str:
        h = hashlib.blake2b(digest_size=8)
        binary = Path(pinned_command(ctx)[0])
        # The binary's size and mtime identify the installed ruff without starting a process.
        stat = binary.stat() if binary.name.startswith("ruff") and binary.is_file() else None
        h.update(f"{stat.st_size}:{stat.st_mtime_ns}".encode() if stat else b"python -m ruff")
        for name in ("pyproject.toml", "ruff.toml", ".ruff.toml"):
            if ctx.exists(name):
                h.update((ctx.root / name).read_bytes())
        return h.hexdigest()

    return ctx.memo("ruff-config-key", compute)


def _cached_run(ctx: CheckContext, kind: str, args: list[str]) -> list[dict[str, Any]]:
    """Ruff's results per file, cached by file content + ruff settings: a warm hook run on
    unchanged files starts no ruff process at all."""
    files = python_files(ctx)
    key = f"ruff-{kind}:{_config_key(ctx)}" if ctx.cache is not None else ""
    cached: dict[str, list[dict[str, Any]]] = {}
    misses = []
    for path in files:
        hit = ctx.cached_fact(path, key) if key else None
        if hit is None:
            misses.append(path)
        else:
            cached[path] = hit
    fresh: dict[str, list[dict[str, Any]]] = {}
    for item in run_ruff(ctx, [*args, *_cache_flag(ctx)], misses) if misses else []:
        item["filename"] = relpath(ctx, item["filename"])
        fresh.setdefault(item["filename"], []).append(item)
    if key:
        for path in misses:
            ctx.store_fact(path, key, fresh.get(path, []))
    return [item for path in files for item in cached.get(path) or fresh.get(path, [])]


def ruff_check(ctx: CheckContext) -> list[dict[str, Any]]:
    return ctx.memo("ruff-check", lambda: _cached_run(ctx, "check", ["check", "--no-fix", "--exit-zero"]))


def ruff_format(ctx: CheckContext) -> list[dict[str, Any]]:
    return ctx.memo("ruff-format", lambda: _cached_run(ctx, "format", ["format", "--check"]))


def ruff_fix(ctx: CheckContext, files: list[str], formatter: bool) -> None:
    args = ["format"] if formatter else ["check", "--fix", "--exit-zero", "--quiet"]
    for start in range(0, len(files), BATCH):
        subprocess.run(
            [*pinned_command(ctx), *args, "--force-exclude", "--", *files[start : start + BATCH]],
            cwd=ctx.root,
            capture_output=True,
        )
