"""transformers-mlinter's whole-tree tables, built one model directory at a time.

Two of mlinter's rules ask a question about the model of the file they lint and answer it, the
first time, by parsing the configuration file of *every* model of the tree: TRF011 (which
top-level modules the model's `base_model_pp_plan` names: `_pp_plan_modules_by_model_dir`, ~100
parses, about 2.7 s of a `scaffold check --changed` that lints one new model) and TRF020 (does
the model's configuration declare `kv_lora_rank`: `_mla_model_dirs`). `lazy_tables` swaps in
tables that answer for one directory at a time, by running mlinter's own function with its
`MODELS_ROOT` narrowed to that directory: the same code, the same answer, only for the models
asked about. A linter version whose tables are not the ones expected keeps its eager scans.
`tests/checker/test_mlinter_tables.py` compares both kinds on every model directory of a real
tree and watches TRF011 fire through the lazy table.
"""

from __future__ import annotations

import importlib
import threading
from pathlib import Path
from typing import Any

_LOCK = threading.Lock()


def _narrowed(module: Any, builder: str, model_dir: str) -> Any:
    """`module.<builder>()` with the module's `MODELS_ROOT` narrowed to one model directory."""
    with _LOCK:  # `MODELS_ROOT` is narrowed for the length of one call
        saved: Path = module.MODELS_ROOT
        module.MODELS_ROOT = saved / model_dir
        try:
            return getattr(module, builder)()
        finally:
            module.MODELS_ROOT = saved


class PlansByModelDir(dict[str, set[str]]):
    """`{model_dir: pp-plan module names}`, filled on first `get` of each directory."""

    def __init__(self, module: Any) -> None:
        super().__init__()
        self.module = module

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        if key not in self:
            self[key] = set(_narrowed(self.module, "_pp_plan_modules_by_model_dir", key).get(key, set()))
        return super().get(key, default)


class MlaModelDirs(set[str]):
    """The model directories whose configuration declares `kv_lora_rank`, as far as `in` asks
    (the only way TRF020 reads its table)."""

    def __init__(self, module: Any) -> None:
        super().__init__()
        self.module = module
        self.known: dict[str, bool] = {}

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        if key not in self.known:
            self.known[key] = key in _narrowed(self.module, "_mla_model_dirs", key)
        return self.known[key]


# rule module -> (its table, the function that builds it eagerly, the lazy table's class)
TABLES: dict[str, tuple[str, str, type]] = {
    "trf011": ("_PP_PLAN_MODULES_BY_MODEL_DIR", "_pp_plan_modules_by_model_dir", PlansByModelDir),
    "trf020": ("_MLA_MODEL_DIRS", "_mla_model_dirs", MlaModelDirs),
}


def lazy_tables(linter: Any) -> list[str]:
    """Install the per-directory tables in the loaded linter (once); the rule modules that have one."""
    installed = []
    for name, (table, builder, kind) in TABLES.items():
        module = getattr(linter, name, None)
        if module is None:
            try:
                module = importlib.import_module(f"{linter.__name__}.{name}")
            except ImportError:
                continue
        current = getattr(module, table, "absent")
        if not isinstance(current, kind):
            if current is not None or not callable(getattr(module, builder, None)):
                continue  # another linter version, or the eager table is built already
            if not isinstance(getattr(module, "MODELS_ROOT", None), Path):
                continue
            setattr(module, table, kind(module))
        installed.append(name)
    return installed
