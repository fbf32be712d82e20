"""Which ruff binary SCF001/SCF002 run: the version the fork pins, as upstream's `make style` does.

Ruff's rules and formatter change between releases (0.17.6 reports 69 findings on a 5.16 tree
that 0.14.10, the fork's pin, finds clean), so the checker runs the pinned version:

1. the installed ruff (next to `sys.executable`, then `PATH`) when its version is the pin;
2. else a copy installed earlier under `<cache>/ruff/<version>/` (`$SCAFFOLD_CACHE_DIR`, default
   `~/.cache/transformers-scaffold`);
3. else it installs that copy once with `pip install --target` from the package index (set
   `SCAFFOLD_RUFF_INSTALL=0` to forbid it);
4. else it runs the installed ruff and the report says so, once, in a note: "ruff X ran; the
   fork pins ruff==Y".
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from transformers_scaffold.ruffbin import ruff_command

INSTALL_TIMEOUT_S = 300
_VERSION = re.compile(r"ruff (\d+\.\d+\.\d+\S*)")


@dataclass(frozen=True)
class RuffBinary:
    command: tuple[str, ...]
    version: str | None  # None: could not be asked
    pinned: str
    note: str | None = None  # set when the version that runs is not the pin


def installed_command() -> list[str]:
    """The ruff of this environment (the shared locator, `transformers_scaffold.ruffbin`)."""
    return ruff_command()


def version_of(command: list[str] | tuple[str, ...]) -> str | None:
    """`ruff --version`, remembered by the binary's size and mtime (a warm run starts no process)."""
    binary = Path(command[0])
    stamp = None
    if binary.name.startswith("ruff") and binary.is_file():
        stat = binary.stat()
        stamp = f"{binary.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
        known = _known_versions().get(stamp)
        if known:
            return known
    version = _ask_version(command)
    if stamp and version:
        _remember_version(stamp, version)
    return version


def environment() -> str:
    """What decides which ruff runs, without starting it: the installed binary's stamp and the
    pinned versions already cached (part of the findings cache's key: a new ruff re-checks)."""
    parts = []
    installed = Path(installed_command()[0])
    if installed.is_file():
        stat = installed.stat()
        parts.append(f"{installed.resolve()}:{stat.st_size}:{stat.st_mtime_ns}")
    root = cache_root()
    if root.is_dir():
        parts += sorted(p.name for p in root.iterdir() if (p / "bin" / "ruff").is_file())
    return "ruff=" + ",".join(parts)


def _versions_file() -> Path:
    return cache_root() / "versions.json"


def _known_versions() -> dict[str, str]:
    try:
        data = json.loads(_versions_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _remember_version(stamp: str, version: str) -> None:
    data = {**_known_versions(), stamp: version}
    try:
        _versions_file().parent.mkdir(parents=True, exist_ok=True)
        tmp = _versions_file().with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(_versions_file())
    except OSError:
        pass


def _ask_version(command: list[str] | tuple[str, ...]) -> str | None:
    try:
        proc = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = _VERSION.search(proc.stdout)
    return match[1] if proc.returncode == 0 and match else None


def cache_root() -> Path:
    base = os.environ.get("SCAFFOLD_CACHE_DIR")
    return (Path(base) if base else Path.home() / ".cache" / "transformers-scaffold") / "ruff"


def _cached_binary(version: str) -> Path:
    return cache_root() / version / "bin" / "ruff"


def _install(version: str) -> bool:
    if os.environ.get("SCAFFOLD_RUFF_INSTALL", "1").strip().lower() in ("0", "false", "no"):
        return False
    target = cache_root() / version
    tmp = target.with_name(f"{version}.{os.getpid()}.{threading.get_ident()}.tmp")
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-deps",
        "--target",
        str(tmp),
        f"ruff=={version}",
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired):
        shutil.rmtree(tmp, ignore_errors=True)
        return False
    if proc.returncode != 0 or not (tmp / "bin" / "ruff").is_file():
        shutil.rmtree(tmp, ignore_errors=True)
        return False
    try:
        tmp.replace(target)  # atomic: a concurrent run sees the whole copy or none
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
    return _cached_binary(version).is_file()


def resolve(pinned: str | None) -> RuffBinary:
    """The ruff to run for a fork that pins `pinned` (None: it pins none; the installed one runs)."""
    installed = installed_command()
    if pinned is None:
        return RuffBinary(tuple(installed), None, "")
    have = version_of(installed)
    if have == pinned:
        return RuffBinary(tuple(installed), have, pinned)
    cached = _cached_binary(pinned)
    if cached.is_file() or _install(pinned):
        version = version_of([str(cached)])
        if version == pinned:
            return RuffBinary((str(cached),), version, pinned)
    note = (
        f"ruff {have or 'of unknown version'} ran for SCF001/SCF002; the fork pins ruff=={pinned}, which could "
        f"not be installed (pip install ruff=={pinned} to match upstream's make style)"
    )
    return RuffBinary(tuple(installed), have, pinned, note)
