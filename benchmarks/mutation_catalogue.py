"""The catalogue of feature-breaking mutations of a generated modeling file.

Each mutation breaks one efficiency feature the way a contributor might by accident, and names the
generated tests (by name prefix, in `tests/models/<module>/test_efficiency_<module>.py`) that must
catch it. Edits are made on the parsed source (positions from `ast`), so they hold for the
templates' code and for `--like` code converted from any source model; a mutation that finds
nothing to edit says so (`NotApplicable`) instead of silently changing nothing.

Used by `benchmarks/mutations.py` (the scores in docs/benchmarks.md) and by
`tests/efficiency/test_mutations.py` (the CI subset).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass


class NotApplicable(Exception):
    """The model has nothing this mutation can break (e.g. no KV cache in an encoder)."""


@dataclass(frozen=True)
class Names:
    """The classes a mutation aims at, read from the generated efficiency test."""

    layer_class: str  # the block: _no_split_modules, checkpointing, FSDP2 wrapping
    attention_class: str


@dataclass(frozen=True)
class Mutation:
    name: str
    feature: str
    tests: tuple[str, ...]  # test-name prefixes; at least one must fail
    description: str
    apply: Callable[[str, Names], str]


# --- source editing on ast positions ---------------------------------------------------------


def _offsets(text: str) -> list[int]:
    starts, total = [], 0
    for line in text.splitlines(keepends=True):
        starts.append(total)
        total += len(line)
    starts.append(total)
    return starts


def _span(text: str, node: ast.AST) -> tuple[int, int]:
    starts = _offsets(text)
    # ast columns are UTF-8 byte offsets; generated modeling files are ASCII in the edited spans.
    return starts[node.lineno - 1] + node.col_offset, starts[node.end_lineno - 1] + node.end_col_offset  # type: ignore[attr-defined]


def _replace(text: str, edits: list[tuple[int, int, str]]) -> str:
    if not edits:
        raise NotApplicable("nothing to edit")
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    ast.parse(text)  # a mutation must still import: a syntax error would be "caught" by any test
    return text


def _classes(tree: ast.Module) -> dict[str, ast.ClassDef]:
    return {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}


def _class(tree: ast.Module, name: str) -> ast.ClassDef:
    found = _classes(tree).get(name)
    if found is None:
        raise NotApplicable(f"no class {name}")
    return found


def _method(cls: ast.ClassDef, name: str) -> ast.FunctionDef:
    for node in cls.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return node
    raise NotApplicable(f"{cls.name} defines no {name}()")


def _class_attr(tree: ast.Module, attr: str) -> Iterator[ast.Assign | ast.AnnAssign]:
    """Class-level assignments `attr = ...` in every class of the module."""
    for cls in _classes(tree).values():
        for node in cls.body:
            targets = (
                node.targets
                if isinstance(node, ast.Assign)
                else [node.target]
                if isinstance(node, ast.AnnAssign)
                else []
            )
            if any(isinstance(t, ast.Name) and t.id == attr for t in targets):
                yield node  # type: ignore[misc]


def _self_assigns(node: ast.AST, attr: str) -> Iterator[ast.Assign]:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Assign) and any(
            isinstance(t, ast.Attribute) and t.attr == attr and isinstance(t.value, ast.Name) and t.value.id == "self"
            for t in sub.targets
        ):
            yield sub


def _indent_of(text: str, node: ast.AST) -> str:
    line = text.splitlines()[node.lineno - 1]  # type: ignore[attr-defined]
    return line[: len(line) - len(line.lstrip())]


def _insert_at_body_start(text: str, func: ast.FunctionDef, statement: str) -> str:
    """Insert `statement` before the first statement of `func` (after a docstring)."""
    body = func.body
    first = (
        body[1]
        if len(body) > 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
        else body[0]
    )
    start = _offsets(text)[first.lineno - 1]
    return _replace(text, [(start, start, f"{_indent_of(text, first)}{statement}\n")])


# --- the mutations ---------------------------------------------------------------------------


def checkpointing_is_a_flag(text: str, names: Names) -> str:
    """The block becomes a plain nn.Module that still carries `gradient_checkpointing`: the flag
    is set, nothing is recomputed."""
    tree = ast.parse(text)
    cls = _class(tree, names.layer_class)
    base = next((b for b in cls.bases if isinstance(b, ast.Name) and b.id == "GradientCheckpointingLayer"), None)
    if base is None:
        raise NotApplicable(f"{cls.name} is not a GradientCheckpointingLayer")
    init = _method(cls, "__init__")
    super_call = next(s for s in init.body if "super()" in ast.unparse(s))
    end = _offsets(text)[super_call.end_lineno]  # type: ignore[attr-defined]
    start, stop = _span(text, base)
    return _replace(
        text,
        [
            (start, stop, "nn.Module"),
            (end, end, f"{_indent_of(text, super_call)}self.gradient_checkpointing = False\n"),
        ],
    )


def causality_flipped(text: str, names: Names) -> str:
    """`is_causal` of the attention flipped (decoders see the future, encoders lose the past)."""
    tree = ast.parse(text)
    edits = []
    for node in _self_assigns(tree, "is_causal"):
        start, end = _span(text, node.value)
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, bool):
            edits.append((start, end, str(not node.value.value)))
        else:  # BERT-likes: `self.is_causal = is_causal` (from config.is_decoder)
            edits.append((start, end, f"not ({text[start:end]})"))
    return _replace(text, edits)


def mlp_linears_subclassed(text: str, names: Names) -> str:
    """Only the feed-forward projections become `nn.Linear` subclasses (quantizers that match the
    exact class skip them)."""
    tree = ast.parse(text)
    targets = [c for n, c in _classes(tree).items() if n.endswith(("MLP", "Intermediate", "FeedForward"))]
    edits = []
    for cls in targets:
        for sub in ast.walk(cls):
            if isinstance(sub, ast.Call) and ast.unparse(sub.func) == "nn.Linear":
                start, end = _span(text, sub.func)
                edits.append((start, end, "_ScaffoldLinear"))
    if not edits:
        raise NotApplicable("no nn.Linear in a feed-forward class")
    first = min(targets, key=lambda c: c.lineno)
    at = _offsets(text)[(first.decorator_list[0] if first.decorator_list else first).lineno - 1]
    edits.append((at, at, "class _ScaffoldLinear(nn.Linear):\n    pass\n\n\n"))
    return _replace(text, edits)


def autocast_off_in_block(text: str, names: Names) -> str:
    """`@torch.autocast("cpu", enabled=False)` on the block's forward: mixed precision silently
    becomes float32 inside every block."""
    tree = ast.parse(text)
    forward = _method(_class(tree, names.layer_class), "forward")
    at = _offsets(text)[forward.lineno - 1]
    return _replace(text, [(at, at, f'{_indent_of(text, forward)}@torch.autocast("cpu", enabled=False)\n')])


def _attention_interface_assigns(text: str) -> list[ast.Assign | ast.AnnAssign]:
    found = []
    for sub in ast.walk(ast.parse(text)):
        if isinstance(sub, (ast.Assign, ast.AnnAssign)):
            targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target]
            if (
                any(isinstance(t, ast.Name) and t.id == "attention_interface" for t in targets)
                and sub.value is not None
            ):
                found.append(sub)
    if not found:
        raise NotApplicable("no attention_interface dispatch")
    return found


def attention_ignores_implementation(text: str, names: Names) -> str:
    """The attention always runs the eager function, whatever `attn_implementation` says."""
    edits = []
    for node in _attention_interface_assigns(text):
        start, end = _span(text, node.value)  # type: ignore[arg-type]
        edits.append((start, end, "eager_attention_forward"))
    return _replace(text, edits)


def attention_always_sdpa(text: str, names: Names) -> str:
    """The attention always runs SDPA (eager is never used, so no attention maps)."""
    edits = []
    for node in _attention_interface_assigns(text):
        start, end = _span(text, node.value)  # type: ignore[arg-type]
        edits.append((start, end, 'ALL_ATTENTION_FUNCTIONS["sdpa"]'))
    return _replace(text, edits)


def item_in_forward(text: str, names: Names) -> str:
    """A host sync (`.item()`) in the block's forward: a graph break for torch.compile."""
    forward = _method(_class(ast.parse(text), names.layer_class), "forward")
    statement = (
        "if hidden_states.abs().max().item() > 1e30:\n"
        + _indent_of(text, forward.body[0])
        + "    hidden_states = hidden_states * 1.0"
    )
    return _insert_at_body_start(text, forward, statement)


def wrong_no_split_modules(text: str, names: Names) -> str:
    """`_no_split_modules` names the attention instead of the block."""
    edits = []
    for node in _class_attr(ast.parse(text), "_no_split_modules"):
        start, end = _span(text, node.value)  # type: ignore[arg-type]
        edits.append((start, end, f'["{names.attention_class}"]'))
    return _replace(text, edits)


def flex_flag_off(text: str, names: Names) -> str:
    """`_supports_flex_attn = False`: flex attention is refused."""
    edits = []
    for node in _class_attr(ast.parse(text), "_supports_flex_attn"):
        start, end = _span(text, node.value)  # type: ignore[arg-type]
        edits.append((start, end, "False"))
    return _replace(text, edits)


def cache_not_updated(text: str, names: Names) -> str:
    """The attention reads keys/values but never writes them to the KV cache."""
    edits = []
    for sub in ast.walk(ast.parse(text)):
        if (
            isinstance(sub, ast.Assign)
            and isinstance(sub.value, ast.Call)
            and isinstance(sub.value.func, ast.Attribute)
            and sub.value.func.attr == "update"
            and "key" in ast.unparse(sub.targets[0])
        ):
            start, end = _span(text, sub)
            edits.append((start, end, "pass"))
    if not edits:
        raise NotApplicable("no KV cache update")
    return _replace(text, edits)


def tied_weights_untied(text: str, names: Names) -> str:
    """`_tied_weights_keys` emptied: the LM head stops sharing the input embeddings."""
    edits = []
    for node in _class_attr(ast.parse(text), "_tied_weights_keys"):
        start, end = _span(text, node.value)  # type: ignore[arg-type]
        edits.append((start, end, "{}" if isinstance(node.value, ast.Dict) else "[]"))
    return _replace(text, edits)


def keep_in_fp32_dropped(text: str, names: Names) -> str:
    """`_keep_in_fp32_modules` removed: those modules load in half precision."""
    edits = []
    for node in _class_attr(ast.parse(text), "_keep_in_fp32_modules"):
        start, end = _span(text, node.value)  # type: ignore[arg-type]
        edits.append((start, end, "None"))
    if not edits:
        raise NotApplicable("the model declares no _keep_in_fp32_modules")
    return _replace(text, edits)


def dtype_hard_coded(text: str, names: Names) -> str:
    """The block casts its input to float32: half-precision weights then meet float32 activations."""
    forward = _method(_class(ast.parse(text), names.layer_class), "forward")
    return _insert_at_body_start(text, forward, "hidden_states = hidden_states.to(torch.float32)")


CATALOGUE: tuple[Mutation, ...] = (
    Mutation(
        "checkpointing-is-a-flag",
        "gradient checkpointing",
        ("test_gradient_checkpointing",),
        checkpointing_is_a_flag.__doc__ or "",
        checkpointing_is_a_flag,
    ),
    Mutation(
        "causality-flipped",
        "attention backends",
        ("test_attention_backend",),
        causality_flipped.__doc__ or "",
        causality_flipped,
    ),
    Mutation(
        "mlp-linears-subclassed",
        "quantization",
        ("test_quantized_load",),
        mlp_linears_subclassed.__doc__ or "",
        mlp_linears_subclassed,
    ),
    Mutation(
        "autocast-off-in-block",
        "mixed precision",
        ("test_bf16",),
        autocast_off_in_block.__doc__ or "",
        autocast_off_in_block,
    ),
    Mutation(
        "attention-ignores-implementation",
        "attention backends",
        ("test_attention_backend",),
        attention_ignores_implementation.__doc__ or "",
        attention_ignores_implementation,
    ),
    Mutation(
        "attention-always-sdpa",
        "attention backends",
        ("test_attention_backend",),
        attention_always_sdpa.__doc__ or "",
        attention_always_sdpa,
    ),
    Mutation("item-in-forward", "torch.compile", ("test_compile",), item_in_forward.__doc__ or "", item_in_forward),
    Mutation(
        "wrong-no-split-modules",
        "big-model dispatch / FSDP2",
        ("test_device_map", "test_fsdp2"),
        wrong_no_split_modules.__doc__ or "",
        wrong_no_split_modules,
    ),
    Mutation(
        "flex-flag-off", "attention backends", ("test_attention_backend",), flex_flag_off.__doc__ or "", flex_flag_off
    ),
    Mutation(
        "cache-not-updated",
        "inference (KV cache)",
        ("test_generate",),
        cache_not_updated.__doc__ or "",
        cache_not_updated,
    ),
    Mutation(
        "tied-weights-untied",
        "tied embeddings",
        ("test_tied_embeddings",),
        tied_weights_untied.__doc__ or "",
        tied_weights_untied,
    ),
    Mutation(
        "keep-in-fp32-dropped",
        "half-precision loading",
        ("test_bf16",),
        keep_in_fp32_dropped.__doc__ or "",
        keep_in_fp32_dropped,
    ),
    Mutation(
        "dtype-hard-coded",
        "half-precision inference",
        ("test_bf16",),
        dtype_hard_coded.__doc__ or "",
        dtype_hard_coded,
    ),
)
BY_NAME = {m.name: m for m in CATALOGUE}
