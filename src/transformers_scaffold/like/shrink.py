"""Family-aware tiny configs: shrink the source model's real default config, sub-configs included.

The static reader (`tiny.py`) sees only the top-level fields of one config class. Composite and
multimodal models keep their real sizes in sub-configs (`text_config`, `vision_config`,
`audio_config`...), encoder-decoders name their sizes `encoder_layers` / `decoder_attention_heads`,
MoE kernels want expert sizes aligned to 16 bytes. So this module instantiates the source config
class of the fork (in a child process: the fork is never imported into the generator) and walks it:

- every size field, by name, in the config and in each nested sub-config: hidden 32, 4 heads
  (2 key/value heads where the source uses grouped-query attention, 1 where it uses multi-query),
  2 layers, intermediate 37, vocabulary 99, 512 positions, image size 32 (a multiple of the patch);
- MoE (any `*expert*` count): 4 experts, 2 per token, 1 shared, and every intermediate size 32
  (`torch._grouped_mm` needs 16-byte aligned strides: 37 float32 columns are not);
- special token ids and indices outside the tiny vocabulary moved inside it, each to its own id;
- a fixed `head_dim` set to hidden / heads, a computed one (None) written out as hidden / heads;
- per-stage widths of vision backbones (`hidden_sizes`) divided by one power of two, as lists, with
  the single widths a stage is built from; 2 blocks per stage (`depths`);
- one layer of each kind the source mixes in `layer_types` (`every_layer_kind`).

The result is the keyword arguments for the config class (sub-configs as dicts with their
`model_type`), checked by building the config from them. This file imports nothing of
`transformers_scaffold`: `python shrink.py FORK_SRC MODEL_TYPE` runs it against a fork's source.
"""

from __future__ import annotations

import inspect
import json
import math
import re
import sys
from typing import Any

HIDDEN, HEADS, LAYERS, INTERMEDIATE, MOE_INTERMEDIATE, VOCAB, POSITIONS = 32, 4, 2, 37, 32, 99, 512
_HIDDEN = re.compile(r"^(hidden_size|d_model|n_embd|embed_dim|dim|word_embed_proj_dim|\w+_hidden_size)$")
_HEADS = re.compile(r"^(num_attention_heads|n_head|n_heads|num_heads|\w+_attention_heads)$")
_KV_HEADS = re.compile(r"^(num_key_value_heads|n_kv_heads|num_kv_heads|multi_query_group_num)$")
_LAYERS = re.compile(
    r"^(num_hidden_layers|n_layer|n_layers|num_layers|encoder_layers|decoder_layers|\w+_hidden_layers)$"
)
_INTERMEDIATE = re.compile(r"^(intermediate_size|ffn_dim|n_inner|d_ff|\w+_ffn_dim|\w+_intermediate_size)$")
_EXPERTS = {"num_local_experts": 4, "num_experts": 4, "n_routed_experts": 4, "moe_num_experts": 4,
            "num_experts_per_tok": 2, "moe_topk": 2, "n_shared_experts": 1, "num_shared_experts": 1,
            "n_group": 1, "topk_group": 1}  # fmt: skip
_STAGE_WIDTHS = re.compile(r"^(hidden_sizes|embed_dims|\w+_hidden_sizes)$")  # per-stage widths of vision backbones
_CHANNELS = re.compile(r"(_channels|_size|_dim)$")  # a single width a stage may be built from
_STAGE_DEPTHS = re.compile(r"^(depths|\w+_depths)$")  # blocks per stage
_TOKEN = re.compile(r"_token_(id|index)$|_token_ids$")
_SMALL_IDS = {"pad_token_id": 0, "bos_token_id": 1, "eos_token_id": 2}
_SUB_CONFIG_MARK = "model_type"


def _accepted(config_class: type) -> set[str] | None:
    """Keyword arguments the config class takes by name; None when it takes any (`**kwargs` only)."""
    fields = getattr(config_class, "__dataclass_fields__", None)
    names: set[str] = set(fields) if fields else set()
    for klass in config_class.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        try:
            params = inspect.signature(init).parameters
        except (TypeError, ValueError):
            continue
        names.update(n for n, p in params.items() if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL) and n != "self")
        break
    return names or None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_moe(values: dict[str, Any]) -> bool:
    return any("expert" in key and _is_int(value) and value > 1 for key, value in values.items())


def _takes_mrope(config: Any, rope: dict[str, Any]) -> bool:
    """Multimodal RoPE: sections in the config's rope parameters, or a default in the modeling code
    that the config declares (`ignore_keys_at_rope_validation = {"mrope_section"}`)."""
    return isinstance(rope.get("mrope_section"), list) or "mrope_section" in (
        getattr(type(config), "ignore_keys_at_rope_validation", None) or ()
    )


def _mrope_sections(rope: dict[str, Any], values: dict[str, Any]) -> list[int]:
    """Multimodal RoPE sections (t, h, w) scaled to sum to half the tiny head's rotary dimension."""
    sections = [int(s) for s in rope.get("mrope_section") or (2, 3, 3)]  # the sources' defaults: 16, 24, 24
    factor = rope.get("partial_rotary_factor", values.get("partial_rotary_factor")) or 1.0
    half = int((HIDDEN // HEADS) * float(factor)) // 2
    exact = [s * half / max(1, sum(sections)) for s in sections]
    out = [int(e) for e in exact]
    for i in sorted(range(len(out)), key=lambda i: out[i] - exact[i])[: half - sum(out)]:
        out[i] += 1
    return out


def _is_stages(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and bool(value) and all(_is_int(v) and v > 0 for v in value)


def _stage_factor(widths: Any) -> int:
    """The largest power of two that leaves every stage width a multiple of HEADS, the widest >= HIDDEN."""
    factor = 1
    while all(v % (factor * 2 * HEADS) == 0 for v in widths) and max(widths) // (factor * 2) >= HIDDEN:
        factor *= 2
    return factor


def shrink(config: Any) -> dict[str, Any]:
    """Keyword arguments that rebuild `config` (a `PreTrainedConfig`) at test size."""
    values = config.to_dict()
    accepted = _accepted(type(config))
    moe = _is_moe(values)
    out: dict[str, Any] = {}
    heads = values.get("num_attention_heads") or values.get("n_head") or values.get("num_heads")

    def put(key: str, value: Any) -> None:
        if accepted is None or key in accepted:
            out[key] = value

    used_ids: set[int] = set()
    widths = {k: v for k, v in values.items() if _STAGE_WIDTHS.match(k) and _is_stages(v)}
    grouped = any("group" in k and _is_int(v) and v > 1 for k, v in values.items())
    stage_factor = 1 if grouped or not widths else _stage_factor([w for v in widths.values() for w in v])
    for key, value in values.items():
        sub = getattr(config, key, None)
        if hasattr(sub, "to_dict") and hasattr(sub, _SUB_CONFIG_MARK) and key.endswith("config"):
            put(key, {**shrink(sub), _SUB_CONFIG_MARK: getattr(sub, "model_type", "")})
            continue
        if key == "rope_parameters" and isinstance(value, dict) and _takes_mrope(config, value):
            put(key, {**value, "mrope_section": _mrope_sections(value, values)})  # splits the tiny rotary half
            continue
        stages = _is_stages(value)
        if stages and _STAGE_WIDTHS.match(key):
            # Divided by one power of two (the last stage >= HIDDEN), so every ratio between them and the
            # fields they are built from stays whole; not where group sizes divide them (RegNet, BiT).
            # Always a list: ConvNeXt's default tuple breaks its own backbone's `[first] + hidden_sizes`.
            put(key, [v // stage_factor for v in value])
            continue
        if stages and _STAGE_DEPTHS.match(key):
            put(key, [min(v, LAYERS) for v in value])
            continue
        if _HEADS.match(key) and isinstance(value, list) and value and all(_is_int(v) and v > 0 for v in value):
            # Per-stage heads (Swin's [3, 6, 12, 24]): each divides the shrunk width (a power of two).
            put(key, [1 << (min(v, HEADS).bit_length() - 1) for v in value])
            continue
        if not _is_int(value) or value <= 0:
            if _TOKEN.search(key) and isinstance(value, list) and any(_is_int(v) and v >= VOCAB for v in value):
                put(key, [_SMALL_IDS.get(key, 3)])
            continue
        if key in _EXPERTS and value > _EXPERTS[key]:
            put(key, _EXPERTS[key])
        elif _KV_HEADS.match(key):
            put(key, 1 if value == 1 else (HEADS if heads is not None and value >= heads else 2))
        elif _HEADS.match(key) and value > HEADS:
            put(key, HEADS)
        elif _HIDDEN.match(key) and value > HIDDEN:
            put(key, HIDDEN)
        elif _LAYERS.match(key) and value > LAYERS:
            put(key, LAYERS)
        elif _INTERMEDIATE.match(key) and value > INTERMEDIATE:
            put(key, MOE_INTERMEDIATE if moe else INTERMEDIATE)
        elif key in ("vocab_size", "text_vocab_size") and value > VOCAB:
            put(key, VOCAB)
        elif key in ("max_position_embeddings", "n_positions") and value > POSITIONS:
            put(key, POSITIONS)
        elif key == "image_size" and value > 32:
            patch = values.get("patch_size") if _is_int(values.get("patch_size")) else 1
            put(key, patch * -(-32 // patch))
        elif _TOKEN.search(key) and value >= VOCAB:
            small = _SMALL_IDS.get(key)
            if small is None:
                small = next(i for i in range(3, VOCAB) if i not in used_ids)
            used_ids.add(small)
            put(key, small)
        elif key == "head_dim" and value > 0:
            put(key, HIDDEN // HEADS)
    for key, value in values.items():  # sizes a stage is built from (TextNet's stem = its first stage)
        tied = _CHANNELS.search(key) and any(value in v for v in widths.values())
        if stage_factor > 1 and key not in out and _is_int(value) and tied:
            put(key, value // stage_factor)
    if (
        values.get("head_dim", 0) is None
        and out.get("hidden_size") == HIDDEN
        and heads
        and out.get("num_attention_heads", heads) == HEADS
    ):
        # A computed head size (`head_dim=None`) written out: the fork's RoPE helpers read
        # `getattr(config, "head_dim", hidden // heads)`, which gives None for a field that is None.
        put("head_dim", HIDDEN // HEADS)
    if getattr(config, "is_encoder_decoder", False) and getattr(config, "decoder_start_token_id", None) is None:
        # Seq2seq tests shift labels right: they need a start token (T5's config has none by default).
        start = out.get("pad_token_id", values.get("pad_token_id"))
        out["decoder_start_token_id"] = start if _is_int(start) else 0  # configs take it as an extra kwarg
    return out


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
    return isinstance(value, dict) and _SUB_CONFIG_MARK in value


def _fields(kwargs: dict[str, Any], defaults: dict[str, Any]) -> list[tuple[Path, Any]]:
    """(path, current value) of every field of the config and of its sub-configs (one level)."""
    out: list[tuple[Path, Any]] = []
    for key, default in defaults.items():
        current = kwargs.get(key, default)
        if _is_sub(default):
            sub = current if isinstance(current, dict) else {}
            out += [((key, k), sub.get(k, v)) for k, v in default.items() if k != _SUB_CONFIG_MARK]
        else:
            out.append(((key,), current))
    return out


def _with(kwargs: dict[str, Any], defaults: dict[str, Any], path: Path, value: Any) -> dict[str, Any]:
    out = dict(kwargs)
    if len(path) == 1:
        out[path[0]] = value
    else:
        sub = out.get(path[0])
        base = dict(sub) if isinstance(sub, dict) else {_SUB_CONFIG_MARK: defaults[path[0]][_SUB_CONFIG_MARK]}
        out[path[0]] = {**base, path[1]: value}
    return out


def _candidates(path: Path, value: Any, named: list[tuple[Path, Any]], default: Any) -> list[Any]:
    others = [v for p, v in named if p != path]
    ints = [v for v in others if _is_int(v) and v > 0]
    lists = [v for v in others if isinstance(v, (list, tuple)) and v]
    found: list[Any] = []
    if _is_int(value):
        found += ints + [len(v) for v in lists] + [v[-1] for v in lists if _is_int(v[-1])]
        found += [v for v in _SMALL if v != value]
    elif isinstance(value, (list, tuple)) and value:
        found += [list(value[:n]) for n in ints if n < len(value)]  # one entry per (fewer) layers
        if all(_is_int(v) for v in value):
            found += [[*value[:-1], n] for n in ints]
    found.append(default)
    return [c for i, c in enumerate(found) if c != value and c not in found[:i]]


def _change(old: Any, new: Any) -> tuple[float, float]:
    """How far a fix moves a value (ratio, then size): `ffn_dim` 37 -> 32, not 2; ties go to the smaller."""
    if _is_int(old) and _is_int(new) and old > 0 and new > 0:
        return (abs(math.log2(new / old)), new)
    if isinstance(old, (list, tuple)) and isinstance(new, (list, tuple)) and old and new:
        return (abs(math.log2(len(new) / len(old))), len(new))  # a list's length counts like a size
    return (math.inf, 0)


def _shape(error: str) -> str:
    return re.sub(r"\d+", "#", error)  # the same check with other numbers is no progress


def _error(config_class: type, kwargs: dict[str, Any]) -> str | None:
    try:
        config_class(**kwargs)
    except Exception as exc:  # any validation error of the fork's config class
        return f"{type(exc).__name__}: {exc}"
    return None


def repaired(config_class: type, kwargs: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """`kwargs`, changed where the config class's validation rejects them; raises when it cannot."""
    first = error = _error(config_class, kwargs)
    for _ in range(_ROUNDS):
        if error is None:
            return kwargs
        words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", error))
        named = [(p, v) for p, v in _fields(kwargs, defaults) if p[-1] in words]
        flat = dict(_fields({}, defaults))
        moves: list[tuple[tuple[float, float], dict[str, Any], str]] = []
        builds: list[tuple[tuple[float, float], dict[str, Any]]] = []
        # One field at a time, and each name everywhere at once (`ffn_dim` of a config and of its sub-config).
        groups = [[(p, v)] for p, v in named]
        groups += [[(p, v) for p, v in named if p[-1] == name] for name in {p[-1] for p, _ in named}]
        for group in (g for i, g in enumerate(groups) if g and g not in groups[:i]):
            path, value = group[0]
            for candidate in _candidates(path, value, named, flat.get(path)):
                trial = kwargs
                for member, _value in group:
                    trial = _with(trial, defaults, member, candidate)
                trial_error = _error(config_class, trial)
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


def every_layer_kind(config_class: type, kwargs: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """`kwargs` with one layer of each kind the source mixes in `layer_types` (sliding and full attention).

    Two tiny layers of a 5-sliding-1-full pattern are both sliding: the full-attention path (and its own
    RoPE parameters, per layer type) would go untested. The layer count grows to the number of kinds
    where there are more kinds than layers; kwargs that do not build are returned unchanged.
    """
    kinds = list(dict.fromkeys(defaults.get("layer_types") or ()))
    if len(kinds) < 2 or "layer_types" in kwargs or not all(isinstance(k, str) for k in kinds):
        return kwargs
    try:
        have = list(getattr(config_class(**kwargs), "layer_types", None) or ())
    except Exception:  # the caller's kwargs are checked (and repaired) elsewhere
        return kwargs
    if not have or set(kinds) <= set(have):
        return kwargs
    count = next((k for k, v in kwargs.items() if _LAYERS.match(k) and v == len(have)), None)
    if count is None:
        return kwargs
    layers = max(len(have), len(kinds))
    trial = {**kwargs, count: layers, "layer_types": [kinds[i % len(kinds)] for i in range(layers)]}
    return trial if _error(config_class, trial) is None else kwargs


def tiny_kwargs(model_type: str) -> dict[str, Any]:
    """Shrunk keyword arguments of the fork's config for `model_type`, checked by building it."""
    from transformers import AutoConfig

    config = AutoConfig.for_model(model_type)
    # Raises when the shrunk sizes do not fit together and no consistent values were found.
    defaults = config.to_dict()
    return every_layer_kind(type(config), repaired(type(config), shrink(config), defaults), defaults)


if __name__ == "__main__":
    sys.path.insert(0, sys.argv[1])
    try:
        result: dict[str, Any] = {"tiny": tiny_kwargs(sys.argv[2])}
    except Exception as exc:  # reported to the caller, who falls back to the static reader
        result = {"error": f"{type(exc).__name__}: {exc}"[:500]}
    print(json.dumps(result, default=str))
