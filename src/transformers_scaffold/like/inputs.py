"""The example inputs of a `--like` model: which forward arguments, in which shapes, from its source.

Read statically from the source's modeling and configuration files (never imported):

- the base model's `forward` signature (its own, or the nearest base class's in the same file):
  every required argument, and the optional arguments of each modality it names
  (`MODALITY_ARGS`: a CLIP-like's forward takes `input_ids` and `pixel_values`, and gets both);
- a forward of several optional modalities gets them all, and each one alone last (Pop2Piano's
  `input_ids` or `input_features`, a speech encoder-decoder's `input_values` or `input_features`);
- a text with placeholder tokens for the other modalities (the config defines `image_token_id`,
  `audio_token_index`...: LLaVA-likes) gets text only, as the placeholders must match the features;
- a forward whose arguments are all optional and none a modality gets every one its docstring
  gives a shape (Decision Transformer's states, actions, rewards, returns and timesteps);
- a required argument the table has no row for, annotated as taking None (`mask: torch.Tensor | None`),
  gets None;
- `grid_thw` arguments mean flattened patches (Qwen-VL vision towers); a config with `num_frames`
  means video pixel values `(batch, frames, channels, height, width)`;
- the forward's docstring, where it documents an argument's shape (`(batch_size, 1, time_steps)`),
  decides the layout before the table's default; a lagged time series (`lags_sequence`) documents
  its past as `sequence_length` long: that is its context plus its largest lag.

The rows (argument -> kind, shape in config fields) are `facts/inputs.py`'s; the result is plain
data for `ModelSpec.example_inputs`, built into tensors by `like/example_inputs.py`.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from transformers_scaffold.facts.inputs import (
    ARGS,
    LAGGED_WORDS,
    MODALITY_ARGS,
    PATCH_LAYOUTS,
    SHAPE_WORDS,
    SHAPE_WORDS_OF,
    TEXT,
    VIDEO_PIXELS,
    Dim,
    InputRule,
)

_PLACEHOLDER = re.compile(r"^(image|video|audio|vision|speech)\w*_token_(id|index)$")
_DOC_SHAPE = re.compile(r"^\s*(\w+) \(`([^`]*)`[^)]*? of shape `\(([^)]*)\)`", re.MULTILINE)
# Arguments passed whenever the forward takes them (besides the required and modality ones).
# No attention mask: all-ones is the default, and a given mask sends multimodal RoPE models (Qwen-Omni-likes)
# down the path that indexes placeholder tokens.
_EXTRAS = (
    "decoder_input_ids",
    "decoder_input_values",
    "bbox",
    "qformer_input_ids",
    "visual_feats",
    "visual_pos",
    "use_cache",
)
# Optional arguments tried only after every layout failed without them (`"optional"` in the recipe):
# some audio encoders sum the features mask for the lengths, others take another path with one.
_RETRY_WITH = ("input_features_mask",)


def _classes(tree: ast.Module) -> dict[str, ast.ClassDef]:
    return {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}


def _forward(classes: dict[str, ast.ClassDef], name: str) -> ast.FunctionDef | None:
    """`forward` of class `name`, or of its nearest base class defined in the same file."""
    seen: set[str] = set()
    queue = [name]
    while queue:
        current = queue.pop(0)
        cls = classes.get(current)
        if cls is None or current in seen:
            continue
        seen.add(current)
        for stmt in cls.body:
            if isinstance(stmt, ast.FunctionDef) and stmt.name == "forward":
                return stmt
        queue += [b.id for b in cls.bases if isinstance(b, ast.Name)]
    return None


def _params(fn: ast.FunctionDef) -> tuple[list[str], set[str]]:
    """(every named argument but self, in order; those without a default)."""
    positional = fn.args.posonlyargs + fn.args.args
    first_default = len(positional) - len(fn.args.defaults)
    names = [a.arg for a in positional if a.arg != "self"]
    required = {a.arg for i, a in enumerate(positional) if i < first_default and a.arg != "self"}
    for arg, default in zip(fn.args.kwonlyargs, fn.args.kw_defaults, strict=False):
        names.append(arg.arg)
        if default is None:
            required.add(arg.arg)
    return names, required


def _word(word: str, known: dict[str, Dim], fields: frozenset[str] | set[str]) -> Dim | None:
    """One documented dimension: a number, a table word, a config field (`num_codebooks`), or a product of them."""
    parts = [p.strip().removeprefix("config.") for p in word.split("*")]
    dims: list[Dim] = []
    for part in parts:
        if part.isdigit():
            dims.append(int(part))
        elif part in known:
            dims.append(known[part])
        elif part in fields:
            dims.append(f"{part}=1")
        else:
            return None
    return dims[0] if len(dims) == 1 else dims


def documented_shapes(
    fn: ast.FunctionDef, fields: frozenset[str] | set[str] = frozenset()
) -> dict[str, tuple[Dim, ...]]:
    """Shapes the forward's docstring documents (`input_values (... of shape `(batch_size, 1, time_steps)`)`),
    in table dimensions, config fields of the source (`fields`) read by name; an argument with a word
    neither knows is left out. A lagged time series (`lags_sequence` in `fields`) documents its `past_*`
    length as "sequence_length": the context plus the largest lag."""
    out: dict[str, tuple[Dim, ...]] = {}
    lagged = "lags_sequence" in fields
    for name, _type, shape in _DOC_SHAPE.findall(ast.get_docstring(fn) or ""):
        known = {
            **SHAPE_WORDS,
            **SHAPE_WORDS_OF.get(name, {}),
            **(LAGGED_WORDS if lagged and name.startswith("past_") else {}),
        }
        dims = [_word(w.strip(), known, fields) for w in shape.split(",") if w.strip()]
        if all(d is not None for d in dims):
            out[name] = tuple(dims)
    return out


def documented_rule(fn: ast.FunctionDef, name: str, shape: tuple[Dim, ...]) -> InputRule:
    """The row of an argument the table lacks, from its documented type and shape: integer tensors are
    token ids (masks: ones), the others floats (`prompt_masks (`torch.Tensor` of shape ...)`)."""
    types = {n: t for n, t, _ in _DOC_SHAPE.findall(ast.get_docstring(fn) or "")}
    integer = any(word in types.get(name, "") for word in ("Long", "Bool", "Int"))
    if integer and "mask" in name:
        return InputRule("ones", shape)
    return InputRule("ids", shape, TEXT) if integer else InputRule("float", shape)


def config_field_names(config_text: str) -> set[str]:
    """Every field any config class of the configuration file declares (`__init__` arguments, annotations)."""
    names: set[str] = set()
    for cls in (n for n in ast.walk(ast.parse(config_text)) if isinstance(n, ast.ClassDef)):
        for stmt in cls.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                names.add(stmt.target.id)
            elif isinstance(stmt, ast.FunctionDef) and stmt.name == "__init__":
                names.update(a.arg for a in stmt.args.args + stmt.args.kwonlyargs)
    return names


def _rule(name: str, patches: dict[str, InputRule], video: bool) -> InputRule | None:
    if name in patches:
        return patches[name]
    if video and name == "pixel_values":
        return VIDEO_PIXELS
    return ARGS.get(name)


def _optional(fn: ast.FunctionDef) -> set[str]:
    """Arguments annotated as taking None (`mask: torch.Tensor | None`, `Optional[...]`), default or not."""
    args = fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs
    return {
        a.arg
        for a in args
        if a.annotation is not None and re.search(r"\bNone\b|Optional\[", ast.unparse(a.annotation))
    }


def input_recipe(modeling_text: str, config_text: str, base_class: str) -> tuple[dict[str, Any], ...]:
    """The ordered example inputs of `base_class`'s forward (plain data; see the module docstring).

    Empty when the forward cannot be found: the caller (tests, sweep) falls back to token ids.
    """
    fn = _forward(_classes(ast.parse(modeling_text)), base_class)
    if fn is None:
        return ()
    names, required = _params(fn)
    fields = config_field_names(config_text)
    modalities = [a for a in MODALITY_ARGS if a in names]
    if "input_ids" in modalities and any(_PLACEHOLDER.match(f) for f in fields):
        modalities = ["input_ids"]
    chosen = [*modalities, *(a for a in names if a in required and a not in modalities)]
    documented = documented_shapes(fn, fields)
    if not chosen:  # all optional, none a known modality (Decision Transformer's trajectories): the documented
        chosen = [a for a in names if a in documented and "mask" not in a]
    # Flattened patches come with the argument that lays them out (`grid_thw`, `spatial_shapes`).
    layout = next((a for a in PATCH_LAYOUTS if a in names and set(PATCH_LAYOUTS[a]) & set(chosen)), None)
    patches = PATCH_LAYOUTS[layout] if layout else {}
    if layout and layout not in chosen:
        chosen.append(layout)
        chosen += [a for a in names if a == "pixel_attention_mask" and a not in chosen]
    chosen += [a for a in _EXTRAS if a in names and a not in chosen]
    retry = [a for a in _RETRY_WITH if a in names and a not in chosen]
    chosen += retry
    recipe = []
    for name in chosen:
        rule = _rule(name, patches, "num_frames" in fields)
        if rule is None and name in documented:
            rule = documented_rule(fn, name, documented[name])
        if rule is None and name in required and name in _optional(fn):
            rule = InputRule("const")  # required by position, annotated `| None`: None (Phi-4's audio `mask`)
        if rule is not None:
            shape = documented.get(name) if rule.kind in ("float", "ids") else None
            marks = {"optional": True} if name in retry else {}
            if len(modalities) > 1 and name in modalities and name not in required:
                marks["modality"] = True  # tried alone last: some forwards take one or the other
            recipe.append({**rule.recipe(name, shape), **marks})
    return tuple(recipe)
