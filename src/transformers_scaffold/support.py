"""Which fork versions each generator path supports, and the refusal for the others.

The decoder and encoder templates are written against the Transformers 5.24 APIs (`@strict`
configs, `GradientCheckpointingLayer`, `ALL_ATTENTION_FUNCTIONS`, `auto_mappings.py`), tested on
the 5.24.0 sdist. `--like` renames the fork's own code, so it follows the fork; it needs the
5.x layout (`models/auto/`, `define_import_structure`) and is tested on 5.24.0 (self-contained
path) and a 5.16.0.dev0 tree (modular path).
"""

from __future__ import annotations

from transformers_scaffold.errors import UserError
from transformers_scaffold.fork import Version

# kind -> (lowest supported, first unsupported)
SUPPORTED: dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    "decoder": ((5, 24, 0), (6, 0, 0)),
    "encoder": ((5, 24, 0), (6, 0, 0)),
    "like": ((5, 16, 0), (6, 0, 0)),
}


def _fmt(v: tuple[int, int, int]) -> str:
    return ".".join(map(str, v))


def require_supported(kind: str, version: Version) -> None:
    low, high = SUPPORTED[kind]
    # A dev tree of the lowest version (5.24.0.dev0) already carries its APIs.
    if not (low <= version.key < high):
        how = "--like MODEL_TYPE (it adapts to the fork's own code)" if kind != "like" else "a 5.x fork"
        raise UserError(
            f"the {kind} path supports Transformers forks {_fmt(low)} to <{_fmt(high)}, this fork is {version.raw}; "
            f"rebase the fork or use {how}"
        )
