"""The modular path of `--like`: render `modular_<name>.py`, and run the fork's converter on it.

Upstream adds models as a modular file expanded by `utils/modular_model_converter.py`. Its CLI
(checked on a 5.16.0.dev0 tree): `python utils/modular_model_converter.py --files
src/transformers/models/<m>/modular_<m>.py`, run from the repository root (it globs and writes
relative paths, and imports its sibling scripts `create_dependency_mapping` and
`modular_integrations`). It reads the parent model's source through `importlib`, so the fork's
`src/` must come first on `PYTHONPATH` (otherwise an installed transformers of another version is
read instead), and it shells out to `ruff` from `PATH` (a missing ruff crashes it after it wrote
the files): both are set up here.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import jinja2

from transformers_scaffold.errors import StageError
from transformers_scaffold.facts import layout
from transformers_scaffold.names import ModelNames
from transformers_scaffold.ruffbin import ruff_binary
from transformers_scaffold.spec import ModelSpec

CONVERTER = Path(layout.MODULAR_CONVERTER)
_TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "model"
_PARTIAL = "_partials/like/modular.py.jinja"
_STDERR_TAIL = 1500


def render_modular(names: ModelNames, spec: ModelSpec, year: int | None = None) -> str:
    """`modular_<module>.py` from the template partial, with the context copier gives it."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Python source, not HTML
    )
    context = {**names.as_answers(), "year": year or dt.date.today().year, "spec": spec.to_answers()}
    return env.get_template(_PARTIAL).render(**context)


def _ruff_dir() -> str | None:
    found = ruff_binary()
    return str(Path(found).parent) if found else None


def _snapshot(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else {}


def run_modular_converter(repo_root: Path, module: str) -> list[Path]:
    """Run the fork's converter on `modular_<module>.py`; return the files it wrote or changed.

    Raises `StageError("convert", ...)` with the tail of its output when it exits non-zero (the
    pipeline then rolls back). Uses this interpreter (`sys.executable`), never a `python` from PATH.
    """
    root = Path(repo_root).resolve()
    modular = Path("src/transformers/models") / module / f"modular_{module}.py"
    if not (root / CONVERTER).is_file():
        raise StageError("convert", f"{CONVERTER} is missing from the fork; it cannot expand {modular}")
    if not (root / modular).is_file():
        raise StageError("convert", f"{modular} does not exist; nothing to convert")
    folder = root / modular.parent
    before = _snapshot(folder)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root / "src"), env.get("PYTHONPATH", "")) if p)
    path_dirs = [str(Path(sys.executable).parent), _ruff_dir(), env.get("PATH", "")]
    env["PATH"] = os.pathsep.join(p for p in path_dirs if p)
    cmd = [sys.executable, str(CONVERTER), "--files", modular.as_posix(), "--num_workers", "1"]
    proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip()[-_STDERR_TAIL:]
        raise StageError("convert", f"{CONVERTER} exited with {proc.returncode}: {tail}")
    after = _snapshot(folder)
    written = sorted(p for p, data in after.items() if before.get(p) != data)
    if not any(p.name == f"modeling_{module}.py" for p in after):
        raise StageError("convert", f"{CONVERTER} exited 0 but wrote no modeling_{module}.py in {modular.parent}")
    return written
