"""Run `shrink.py` against the fork in a child process: the family-aware tiny config of a source model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from transformers_scaffold.like import shrink

TIMEOUT_S = 300
_RUN = "import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')"


def fork_python() -> str:
    """The interpreter that imports the fork: `$SCAFFOLD_VERIFY_PYTHON`, else ours."""
    return os.environ.get("SCAFFOLD_VERIFY_PYTHON") or sys.executable


_CACHE: dict[tuple[str, str, str, float], tuple[dict[str, Any] | None, str]] = {}


def dynamic_tiny(repo_root: Path, model_type: str, python: str) -> tuple[dict[str, Any] | None, str]:
    """(kwargs, "") from the fork's own config class, or (None, why) when the fork cannot be imported.

    Cached per process by fork, type, interpreter and the fork's models/ directory mtime.
    """
    models = Path(repo_root) / "src/transformers/models"
    key = (str(Path(repo_root).resolve()), model_type, python, models.stat().st_mtime if models.is_dir() else 0.0)
    if key not in _CACHE:
        _CACHE[key] = _run(repo_root, model_type, python)
    tiny, why = _CACHE[key]
    return (json.loads(json.dumps(tiny)) if tiny is not None else None), why


def _run(repo_root: Path, model_type: str, python: str) -> tuple[dict[str, Any] | None, str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "TRANSFORMERS_NO_ADVISORY_WARNINGS": "1"}
    env.pop("PYTHONPATH", None)
    try:
        proc = subprocess.run(
            # runpy, not `python shrink.py`: that would put like/ (with its `copy.py`) first on sys.path.
            [python, "-c", _RUN, shrink.__file__, str(Path(repo_root) / "src"), model_type],
            capture_output=True,
            text=True,
            env=env,
            timeout=TIMEOUT_S,
            cwd=repo_root,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"{type(exc).__name__}: {exc}"
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if not lines:
        return None, (proc.stderr.strip().splitlines() or ["no output"])[-1]
    result = json.loads(lines[-1])
    return (result["tiny"], "") if "tiny" in result else (None, str(result.get("error")))
