"""The tiny test config of a `--like` model, derived from the source config class's defaults.

Sizes shrink to the scale of upstream's model testers (hidden 32, 2 layers, 4 heads, 2 key/value
heads where the config has them, intermediate 37, vocabulary 99, 512 positions); every other
field keeps the source's default, so the tiny model exercises the same code paths as the real one.
Fields are read statically from the config class: v5 dataclass-style class attributes
(`hidden_size: int = 4096`) and older `__init__(self, hidden_size=4096, ...)` keyword defaults.
"""

from __future__ import annotations

import ast
from typing import Any

TINY_VOCAB = 99
# field name -> tiny value; the aliases cover the older GPT-style spellings.
TINY_SIZES: dict[str, int] = {
    "vocab_size": TINY_VOCAB,
    "hidden_size": 32,
    "d_model": 32,
    "n_embd": 32,
    "num_hidden_layers": 2,
    "n_layer": 2,
    "num_layers": 2,
    "num_attention_heads": 4,
    "n_head": 4,
    "intermediate_size": 37,
    "ffn_dim": 37,
    "n_inner": 37,
    "moe_intermediate_size": 37,
    "max_position_embeddings": 512,
    "n_positions": 512,
    "type_vocab_size": 16,
    "num_local_experts": 4,
    "num_experts": 4,
    "num_experts_per_tok": 2,
}
TINY_KV_HEADS = 2  # fewer than the 4 query heads: the tests exercise grouped-query attention
TINY_HEAD_DIM = 32 // 4
# Small ids for special tokens whose default falls outside the tiny vocabulary.
_TOKEN_IDS = {"pad_token_id": 0, "bos_token_id": 1, "eos_token_id": 2}
_MISSING = object()


def _default(node: ast.expr | None) -> Any:
    """A field's default as a Python literal, `_MISSING` when it is not one."""
    if node is None:
        return _MISSING
    if isinstance(node, ast.Call):  # `interval(min=0.0, max=1.0)(default=0.02)`, `field(default=...)`
        for kw in node.keywords:
            if kw.arg == "default":
                return _default(kw.value)
        return _MISSING
    try:
        return ast.literal_eval(node)
    except ValueError:
        try:  # simple arithmetic such as `4096 * 32`
            return eval(compile(ast.Expression(node), "<default>", "eval"), {"__builtins__": {}})  # noqa: S307
        except Exception:
            return _MISSING


def _class(tree: ast.Module, name: str) -> ast.ClassDef | None:
    return next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name), None)


def config_fields(config_text: str, config_class: str) -> dict[str, Any]:
    """Field -> default of `config_class` (and its parents defined in the same file)."""
    tree = ast.parse(config_text)
    fields: dict[str, Any] = {}
    cls = _class(tree, config_class)
    chain: list[ast.ClassDef] = []
    while cls is not None and cls not in chain:
        chain.append(cls)
        parent = next((b.id for b in cls.bases if isinstance(b, ast.Name)), None)
        cls = _class(tree, parent) if parent else None
    for node in reversed(chain):  # parents first, so the child's defaults win
        for stmt in node.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                fields[stmt.target.id] = _default(stmt.value)
            elif isinstance(stmt, ast.FunctionDef) and stmt.name == "__init__":
                args = stmt.args.args[1:]
                defaults = [None] * (len(args) - len(stmt.args.defaults)) + list(stmt.args.defaults)
                for arg, default in zip(args, defaults, strict=False):
                    fields[arg.arg] = _default(default)
                for arg, default in zip(stmt.args.kwonlyargs, stmt.args.kw_defaults, strict=False):
                    fields[arg.arg] = _default(default)
    return fields


def _small_token_id(name: str, value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and value >= TINY_VOCAB:
        return _TOKEN_IDS.get(name, 3)
    if isinstance(value, list) and any(isinstance(v, int) and v >= TINY_VOCAB for v in value):
        return [_TOKEN_IDS.get(name, 3)]
    return value


def tiny_config(fields: dict[str, Any], needs_pad_token: bool) -> dict[str, Any]:
    """Keyword arguments of the tiny test config: shrunk sizes, everything else at its default."""
    tiny: dict[str, Any] = {name: size for name, size in TINY_SIZES.items() if name in fields}
    if "num_key_value_heads" in fields:
        tiny["num_key_value_heads"] = TINY_KV_HEADS
    # A fixed head_dim must match hidden/heads; a computed one (default None) follows by itself.
    if fields.get("head_dim") not in (None, _MISSING):
        tiny["head_dim"] = TINY_HEAD_DIM
    for name, value in fields.items():
        if name.endswith("_token_id") and value is not _MISSING:
            small = _small_token_id(name, value)
            if small != value:
                tiny[name] = small
    # Sequence classification over a batch pools the last non-padding token: it needs a pad id.
    if needs_pad_token and "pad_token_id" in fields and fields["pad_token_id"] in (None, _MISSING):
        tiny["pad_token_id"] = 0
    if "vocab_size" not in tiny:  # the generic tester always sizes its inputs by vocab_size
        tiny["vocab_size"] = TINY_VOCAB
    return tiny
