"""The base model of a source that registers none: a sub-model (`clip_text_model`) or a head-only type.

Upstream registers `MODEL_MAPPING_NAMES` entries for main models; many sub-model types
(`aimv2_text_model`, `blip_vision_model`, `dia_decoder`) and some head-only types (`trocr`,
`superpoint`) have none. Their modeling file still holds a `PreTrainedModel` subclass built on the
type's own config class (`config: Aimv2TextConfig`, or `config_class = ...`, own or inherited):
that class becomes the new type's base model, and every exported head of the same config whose
suffix names its auto mapping (`...ForCausalLM`) becomes a head. Read statically (ast), never imported.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from transformers_scaffold.facts.tasks import mappings_for_class

PRETRAINED_ROOT = "PreTrainedModel"
_PRETRAINED_SUFFIXES = ("PreTrainedModel", "PretrainedModel")


@dataclass(frozen=True)
class ClassInfo:
    bases: tuple[str, ...]
    config: str | None  # the config class named by its own `config:` annotation or `config_class =`


def base_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _own_config(cls: ast.ClassDef) -> str | None:
    for stmt in cls.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == "config":
            name = base_name(stmt.annotation)
            if name:
                return name
        if isinstance(stmt, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "config_class" for t in stmt.targets
        ):
            name = base_name(stmt.value)
            if name:
                return name
    return None


def class_table(text: str) -> dict[str, ClassInfo]:
    """Top-level classes of a modeling file: their bases and own config class."""
    return {
        node.name: ClassInfo(tuple(base_name(b) for b in node.bases), _own_config(node))
        for node in ast.parse(text).body
        if isinstance(node, ast.ClassDef)
    }


def _ancestry(table: dict[str, ClassInfo], cls: str) -> list[str]:
    """`cls` and its ancestors defined in the file, nearest first (first base first, depth-first)."""
    seen: list[str] = []
    stack = [cls]
    while stack:
        name = stack.pop(0)
        if name in seen or name not in table:
            continue
        seen.append(name)
        stack[:0] = list(table[name].bases)
    return seen


def config_of(table: dict[str, ClassInfo], cls: str) -> str | None:
    """The config class `cls` is built on: its own annotation, else the nearest ancestor's."""
    for name in _ancestry(table, cls):
        if table[name].config:
            return table[name].config
    return None


def is_pretrained_model(table: dict[str, ClassInfo], cls: str) -> bool:
    return any(PRETRAINED_ROOT in table[name].bases for name in _ancestry(table, cls))


def pretrained_of(table: dict[str, ClassInfo], cls: str, exported: tuple[str, ...]) -> str | None:
    """The exported `*PreTrainedModel` ancestor of `cls` (nearest first), else the root `PreTrainedModel`
    subclass of its line (which may be `cls` itself: `UnivNetModel(PreTrainedModel)`)."""
    line = _ancestry(table, cls)
    named = [n for n in line if n.endswith(_PRETRAINED_SUFFIXES)]
    for name in named:
        if name in exported:
            return name
    roots = [n for n in line if PRETRAINED_ROOT in table[n].bases]
    return roots[0] if roots else None


def _is_pretrained_name(cls: str) -> bool:
    # `Qwen3OmniMoePreTrainedModelForConditionalGeneration` is a base class too, whatever its suffix.
    return any(mark in cls for mark in _PRETRAINED_SUFFIXES)


def _rank(cls: str) -> tuple[int, int]:
    # A plain model first (`Aimv2TextModel`), then encoders/decoders/transformers, then anything else.
    if cls.endswith("Model"):
        return (0, len(cls))
    if cls.endswith(("Encoder", "Decoder", "Transformer", "Backbone")):
        return (1, len(cls))
    return (2, len(cls))


@dataclass(frozen=True)
class Derived:
    base: str
    pretrained: str
    heads: dict[str, tuple[str, ...]]  # head class -> the mapping its suffix names


def derive_base(
    modeling_text: str, config_class: str, exported: tuple[str, ...], registered: dict[str, tuple[str, ...]]
) -> Derived | None:
    """The base model (and heads) of a source whose type registers no base model; None if it has none.

    `registered` is the source's own registrations (class -> mappings). Candidates are exported
    `PreTrainedModel` subclasses built on `config_class` that are not `*PreTrainedModel` themselves.
    An unregistered plain model is preferred; a head-only type (`trocr`: `TrOCRForCausalLM`) uses its
    first registered head as the base model as well.
    """
    table = class_table(modeling_text)
    built_on = [
        c for c in exported if c in table and config_of(table, c) == config_class and is_pretrained_model(table, c)
    ]
    candidates = [c for c in built_on if not _is_pretrained_name(c)]
    if not candidates:
        # `Qwen2VisionTransformerPretrainedModel`: a model named like a base class, that no exported class extends.
        parents = {b for c in exported if c in table for b in table[c].bases}
        candidates = [c for c in built_on if table[c].config == config_class and c not in parents]
    if not candidates:
        return None
    plain = [c for c in candidates if c not in registered and not mappings_for_class(c)]
    heads = {c: registered[c] for c in candidates if c in registered}
    heads.update({c: mappings_for_class(c) for c in candidates if c not in registered and mappings_for_class(c)})
    if plain:
        base = min(plain, key=_rank)
    elif heads:
        base = next(iter(heads))
    else:
        return None
    pretrained = pretrained_of(table, base, exported)
    if pretrained is None:
        return None
    # A head used as the base keeps its own mappings too (AutoModel and AutoModelForCausalLM -> TrOCRForCausalLM).
    return Derived(base=base, pretrained=pretrained, heads=heads)
