"""Repair shrunk config sizes that break the config's own validation (`shrink.py`'s last step).

Imports nothing of `transformers_scaffold` (it runs in the fork's interpreter next to `shrink.py`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

SUB_CONFIG_MARK = "model_type"


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --- repair: shrunk sizes that break the config's own validation ------------------------------
# A config class checks relations between its sizes (`ffn_dim` even, `mamba_n_heads` dividing
# `mamba_expand * hidden_size`, `codebook_dim == hidden_size`, one `layer_types` entry per layer).
# Rather than knowing each rule, `repaired` builds the config, reads which fields the error names,
# and tries consistent values for one of them at a time: another named field's value (equality),
# a named list's length or last value, a truncated list, small powers of two (divisibility,
# evenness), and last the source's default. A change that builds wins; else one that changes the
# error is kept and the next round starts from it.
_SMALL = (32, 16, 8, 4, 2, 1, 64, 128)
_ROUNDS = 8
Path = tuple[str, ...]


def _is_sub(value: Any) -> bool:
    return isinstance(value, dict) and SUB_CONFIG_MARK in value


def _fields(kwargs: dict[str, Any], defaults: dict[str, Any]) -> list[tuple[Path, Any]]:
    """(path, current value) of every field of the config and of its sub-configs (one level)."""
    out: list[tuple[Path, Any]] = []
    for key, default in defaults.items():
        current = kwargs.get(key, default)
        if _is_sub(default):
            sub = current if isinstance(current, dict) else {}
            out += [((key, k), sub.get(k, v)) for k, v in default.items() if k != SUB_CONFIG_MARK]
        else:
            out.append(((key,), current))
    return out


def _with(kwargs: dict[str, Any], defaults: dict[str, Any], path: Path, value: Any) -> dict[str, Any]:
    out = dict(kwargs)
    if len(path) == 1:
        out[path[0]] = value
    else:
        sub = out.get(path[0])
        base = dict(sub) if isinstance(sub, dict) else {SUB_CONFIG_MARK: defaults[path[0]][SUB_CONFIG_MARK]}
        out[path[0]] = {**base, path[1]: value}
    return out


def _candidates(
    path: Path, value: Any, named: list[tuple[Path, Any]], default: Any, said: tuple[int, ...] = ()
) -> list[Any]:
    """Values to try for one field; `said`: the numbers the error message names ("expected 2 values")."""
    others = [v for p, v in named if p != path]
    ints = [v for v in others if is_int(v) and v > 0] + [n for n in said if n > 0]
    lists = [v for v in others if isinstance(v, (list, tuple)) and v]
    found: list[Any] = []
    if is_int(value):
        found += ints + [len(v) for v in lists] + [v[-1] for v in lists if is_int(v[-1])]
        found += [v for v in _SMALL if v != value]
    elif value is None:  # a size the source leaves unset and something requires: small ones
        found += [4, 8, 16, 32]
    elif isinstance(value, (list, tuple)) and value:
        found += [list(value[:n]) for n in ints if n < len(value)]  # one entry per (fewer) layers
        if all(is_int(v) for v in value):
            found += [[*value[:-1], n] for n in ints]
    found.append(default)
    return [c for i, c in enumerate(found) if c != value and c not in found[:i]]


def _change(old: Any, new: Any) -> tuple[float, float]:
    """How far a fix moves a value (ratio, then size): `ffn_dim` 37 -> 32, not 2; ties go to the smaller."""
    if is_int(old) and is_int(new) and old > 0 and new > 0:
        return (abs(math.log2(new / old)), new)
    if old is None and is_int(new):
        return (0.0, new)
    if isinstance(old, (list, tuple)) and isinstance(new, (list, tuple)) and old and new:
        return (abs(math.log2(len(new) / len(old))), len(new))  # a list's length counts like a size
    return (math.inf, 0)


def _shape(error: str) -> str:
    return re.sub(r"\d+", "#", error)  # the same check with other numbers is no progress


def _error(config_class: type, kwargs: dict[str, Any], build: Callable[[Any], Any] | None) -> str | None:
    try:
        config = config_class(**kwargs)
        if build is not None:
            build(config)
    except Exception as exc:  # any validation error of the fork's config class (or of the model's init)
        return f"{type(exc).__name__}: {exc}"
    return None


def repaired(
    config_class: type, kwargs: dict[str, Any], defaults: dict[str, Any], build: Callable[[Any], Any] | None = None
) -> dict[str, Any]:
    """`kwargs`, changed where the config class's validation rejects them (or `build(config)` raises:
    the model's own checks, `prediction_length` required); raises when it cannot."""
    first = error = _error(config_class, kwargs, build)
    for _ in range(_ROUNDS):
        if error is None:
            return kwargs
        words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", error))
        named = [(p, v) for p, v in _fields(kwargs, defaults) if p[-1] in words]
        said = tuple(dict.fromkeys(int(n) for n in re.findall(r"\b\d{1,4}\b", error)))[:6]
        flat = dict(_fields({}, defaults))
        moves: list[tuple[tuple[float, float], dict[str, Any], str]] = []
        builds: list[tuple[tuple[float, float], dict[str, Any]]] = []
        # One field at a time, and each name everywhere at once (`ffn_dim` of a config and of its sub-config).
        groups = [[(p, v)] for p, v in named]
        groups += [[(p, v) for p, v in named if p[-1] == name] for name in {p[-1] for p, _ in named}]
        for group in (g for i, g in enumerate(groups) if g and g not in groups[:i]):
            path, value = group[0]
            for candidate in _candidates(path, value, named, flat.get(path), said):
                trial = kwargs
                for member, _value in group:
                    trial = _with(trial, defaults, member, candidate)
                trial_error = _error(config_class, trial, build)
                if trial_error is None:
                    builds.append((_change(value, candidate), trial))
                elif _shape(trial_error) != _shape(error):  # another check fails now: this one passed
                    moves.append((_change(value, candidate), trial, trial_error))
        if builds:  # the smallest fix; on a tie the smaller value (`codebook_dim` 32, not `hidden_size` 512)
            return min(builds, key=lambda b: b[0])[1]
        if not moves:
            break
        _, kwargs, error = min(moves, key=lambda m: m[0])  # the smallest change that gets further
    raise ValueError(f"the shrunk config does not build: {first}")
