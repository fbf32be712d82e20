"""transformers-mlinter's whole-tree table, built one model directory at a time.

mlinter's TRF011 (pipeline-parallel plans) asks, for the file it lints, which top-level modules
that model's `base_model_pp_plan` names; the first time, it parses the configuration file of
*every* model of the tree (`_pp_plan_modules_by_model_dir`: ~100 parses, about 2.7 s of a
`scaffold check --changed` that lints one new model). `lazy_pp_plans` swaps in a table that
answers the same question for one directory at a time, by running mlinter's own function with its
`MODELS_ROOT` narrowed to that directory: the same code, the same answer, only for the model asked
about. It does nothing on a linter version whose table is not the one expected (then the original
eager scan runs, as before). `tests/checker/test_mlinter_tables.py` compares both tables on every
model directory of a real tree and watches TRF011 fire through the lazy one.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

_TABLE = "_PP_PLAN_MODULES_BY_MODEL_DIR"
_LOCK = threading.Lock()


class PlansByModelDir(dict[str, set[str]]):
    """`{model_dir: pp-plan module names}`, filled on first `get` of each directory."""

    def __init__(self, module: Any) -> None:
        super().__init__()
        self.module = module

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        if key not in self:
            with _LOCK:  # `MODELS_ROOT` is narrowed for the length of one call
                saved: Path = self.module.MODELS_ROOT
                self.module.MODELS_ROOT = saved / key
                try:
                    found = self.module._pp_plan_modules_by_model_dir()
                finally:
                    self.module.MODELS_ROOT = saved
            self[key] = set(found.get(key, set()))
        return super().get(key, default)


def lazy_pp_plans(linter: Any) -> bool:
    """Install the per-directory table in the loaded linter (once); True when it is in place."""
    module = getattr(linter, "trf011", None)
    if module is None:
        try:
            import mlinter.trf011 as module  # type: ignore[import-not-found,no-redef]
        except ImportError:
            return False
    current = getattr(module, _TABLE, "absent")
    if isinstance(current, PlansByModelDir):
        return True
    if current is not None or not callable(getattr(module, "_pp_plan_modules_by_model_dir", None)):
        return False  # another linter version, or the eager table is built already
    if not isinstance(getattr(module, "MODELS_ROOT", None), Path):
        return False
    setattr(module, _TABLE, PlansByModelDir(module))
    return True
