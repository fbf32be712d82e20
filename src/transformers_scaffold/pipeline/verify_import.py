"""The verify stage's import check: the planned package imports, and every Auto class builds it.

Compiling the planned files proves little (`--like whisper` compiled and could not be imported: a
sibling module was missing). So before anything is written, the planned tree is laid over the fork
in a temporary directory (real directories along the planned paths, symbolic links to the fork for
everything else, the planned texts as files) and a fresh interpreter, with that overlay first on its
path, imports `transformers.models.<module>`, builds the config from the tiny config, checks that
`AutoConfig` resolves the new model type, and builds the model through every Auto class the
registration targets (on torch's `meta` device: no weights are allocated, so a full-size
sub-config cannot exhaust memory), checking each resolves to the new class.

A failure is a `StageError("verify", ...)` naming the failing step and the last line of its error.
The fork itself is never imported from its own tree, so nothing (not even `__pycache__`) lands in it.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path, PurePosixPath

from transformers_scaffold.errors import StageError
from transformers_scaffold.like.tiny_dynamic import fork_python
from transformers_scaffold.plan import Plan
from transformers_scaffold.spec import ModelSpec

PACKAGE = PurePosixPath("src/transformers")
TIMEOUT_S = 600

_DRIVER = r"""
import importlib, json, sys, traceback
spec = json.loads(sys.argv[1])
step = "import transformers"
try:
    import transformers
    if not transformers.__file__.startswith(spec["overlay"]):
        raise RuntimeError(f"imported transformers from {transformers.__file__}, not the fork")
    step = f"import transformers.models.{spec['module']}"
    package = importlib.import_module(f"transformers.models.{spec['module']}")
    for name in spec["modules"]:  # each file directly: the lazy package hides the real import error
        step = f"import transformers.models.{spec['module']}.{name}"
        importlib.import_module(f"transformers.models.{spec['module']}.{name}")
    step = f"build {spec['config_class']}(**tiny_config)"
    config = getattr(package, spec["config_class"])(**spec["tiny_config"])
    from transformers import AutoConfig
    step = f"AutoConfig.for_model({spec['model_type']!r})"
    resolved = type(AutoConfig.for_model(spec["model_type"])).__name__
    if resolved != spec["config_class"]:
        raise RuntimeError(f"AutoConfig resolves {spec['model_type']!r} to {resolved}")
    try:
        import torch
    except ImportError:
        print(json.dumps({"built": [], "torch": False}))
        raise SystemExit(0)
    from transformers.models.auto import modeling_auto
    autos = {}
    for name in dir(modeling_auto):
        obj = getattr(modeling_auto, name)
        mapping = getattr(obj, "_model_mapping", None)
        if isinstance(obj, type) and mapping is not None and hasattr(mapping, "_model_mapping"):
            autos.setdefault(id(mapping._model_mapping), obj)
    built = []
    for mapping_name, cls_name in spec["registrations"]:
        auto = autos.get(id(getattr(modeling_auto, mapping_name, None)))
        if auto is None:
            continue
        step = f"{auto.__name__}.from_config(config)"
        with torch.device("meta"):
            model = auto.from_config(config)
        if type(model).__name__ != cls_name:
            raise RuntimeError(f"{auto.__name__} builds {type(model).__name__}, expected {cls_name}")
        built.append(auto.__name__)
    print(json.dumps({"built": built, "torch": True}))
except SystemExit:
    raise
except BaseException as exc:
    last = "".join(traceback.format_exception_only(type(exc), exc)).strip().splitlines()[-1]
    print(json.dumps({"failed": step, "error": last[:500]}))
    raise SystemExit(1)
"""


def _overlay(fork_root: Path, plan: Plan, dest: Path) -> Path:
    """`dest/transformers`: the fork's package with the plan's files laid over it."""
    planned = {
        PurePosixPath(c.path).relative_to(PACKAGE): c.new
        for c in plan
        if PurePosixPath(c.path).is_relative_to(PACKAGE)
    }
    real_dirs = {PurePosixPath(".")}
    for rel in planned:
        real_dirs.update(rel.parents)
    source = fork_root / PACKAGE
    top = dest / "transformers"
    for directory in sorted(real_dirs, key=lambda p: len(p.parts)):
        target = top / directory
        target.mkdir(parents=True, exist_ok=True)
        origin = source / directory
        if origin.is_dir():
            for entry in origin.iterdir():
                rel = directory / entry.name
                if rel in planned or rel in real_dirs or entry.name == "__pycache__":
                    continue
                (target / entry.name).symlink_to(entry)
    for rel, text in planned.items():
        (top / rel).write_text(text, encoding="utf-8")
    return top


def verify_import(fork_root: Path, module: str, model_type: str, spec: ModelSpec, plan: Plan) -> list[str]:
    """Import the planned package in a fresh process and build every Auto class; the Auto classes built."""
    with tempfile.TemporaryDirectory(prefix="scaffold-verify-") as tmp:
        overlay = _overlay(fork_root, plan, Path(tmp) / "site")
        payload = {
            "overlay": str(overlay),
            "module": module,
            "model_type": model_type,
            "config_class": spec.config_class,
            "tiny_config": spec.tiny_config,
            "registrations": spec.registrations(),
            "modules": sorted(
                PurePosixPath(c.path).stem
                for c in plan
                if PurePosixPath(c.path).parent == PACKAGE / "models" / module
                and c.path.endswith(".py")
                and not c.path.endswith("__init__.py")
            ),
        }
        env = {
            **os.environ,
            "PYTHONPATH": str(overlay.parent),
            "PYTHONDONTWRITEBYTECODE": "1",
            "TRANSFORMERS_NO_ADVISORY_WARNINGS": "1",
            "HF_HUB_OFFLINE": "1",
        }
        try:
            proc = subprocess.run(
                [fork_python(), "-c", _DRIVER, json.dumps(payload)],
                cwd=tmp,
                env=env,
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S,
            )
        except subprocess.TimeoutExpired:
            raise StageError("verify", f"importing the generated package took over {TIMEOUT_S} s") from None
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    result = json.loads(lines[-1]) if lines else {}
    if proc.returncode != 0 or "failed" in result:
        if result:
            raise StageError("verify", f"{result.get('failed')}: {result.get('error')}")
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise StageError("verify", f"importing the generated package failed: {tail[:500]}")
    return list(result.get("built", []))
