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
  (`torch._grouped_mm` needs 16-byte aligned strides: 37 float32 columns are not); 32 also where
  the intermediate is split into groups (SqueezeBERT's `intermediate_groups`);
- a periodic schedule of layer kinds (`attn_layer_period`, `attn_layer_offset`: Jamba's attention
  layers among its Mamba layers) fitted into the 2 layers, so each kind is still built;
- special token ids and indices outside the tiny vocabulary moved inside it, each to its own id;
- a fixed `head_dim` set to hidden / heads; an unset one (None) and unset key/value heads filled
  where the source leaves them to the model (which then reads None);
- every nested config shrunk, whatever its name (`encoder`, `vq_config`) and depth, lists and dicts of
  them too; fields equal to the source's width (`upsample_groups` = `hidden_size`) follow it down;
- per-stage widths of vision backbones (`hidden_sizes`, HGNetV2's `stage_*_channels`, Hiera's
  `embed_dim_per_stage`) divided by one power of two, as lists, with the single widths a stage is
  built from; at most 2 blocks per stage (`depths`), block indices moved with their stage; a
  selection of N > 1 layer stages (DPT necks) keeps N layers (`shrink_stages.py`);
- a parent's channel fields that are its backbone's stage widths follow them (RT-DETR's
  `encoder_in_channels`), lists of the model's width follow it (`shrink_backbone.py`);
- a channel count equal to another sub-config's width follows it (SAM's `output_channels`), and a
  sub-config keeps the flags the source sets off its defaults (`reshape_hidden_states`) (`shrink_composite.py`);
- a square image size as a list shrinks too; feature-map sizes follow the image's ratio (`shrink_image.py`);
- layer indices another config reads (`vision_feature_layer` [24, 18] -> [1, 0], `shrink_indices.py`);
  groups of heads (`n_groups`) cut to divide the tiny heads (`shrink_groups.py`: Mamba-2's 8 -> 4);
- `layer_types` keeps one layer of each kind (the source's last kind last), `per_layer_config`
  overrides move onto the tiny layer of the same kind (`shrink_layers.py`);
- where the shrunk model is still large (its base model built on the meta device), a second, wider
  pass shrinks every field whose name's words say size (`d_latents`, `entity_vocab_size`, `hidden_sizes`),
  and a codec's stem `num_filters`, doubled per `*_ratios` stage, to a widest stage of 256 (`shrink_codec.py`).

The result is the keyword arguments for the config class (sub-configs as dicts with their
`model_type`), checked by building the config from them. This file imports nothing of
`transformers_scaffold`: `python shrink.py FORK_SRC MODEL_TYPE` runs it against a fork's source.
"""

from __future__ import annotations

import inspect
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _sibling(name: str) -> Any:
    """`like/NAME.py` by path: run as a file in the fork's interpreter, `like/` is no package there
    (and `transformers_scaffold` there may be another checkout's)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"_scaffold_{name}", Path(__file__).with_name(f"{name}.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and typing look the module up by name
    spec.loader.exec_module(module)
    return module


repaired: Callable[..., dict[str, Any]] = _sibling("shrink_repair").repaired
_words = _sibling("shrink_words")
_wide: Callable[[str], str] = _words.wide
_scaled: Callable[[list[int]], list[int]] = _words.scaled
_measure = _sibling("shrink_build")
_build: Callable[[Any], Any] = _measure.build
_per_layer = _sibling("shrink_layers")
_rope = _sibling("shrink_rope")
_takes_mrope: Callable[[Any, dict[str, Any]], bool] = _rope.takes_mrope
_mrope_sections: Callable[[dict[str, Any], dict[str, Any]], list[int]] = _rope.mrope_sections
_stage_rules = _sibling("shrink_stages")
_stages: Callable[[dict[str, Any]], dict[str, Any]] = _stage_rules.stages
_selection: Callable[..., None] = _stage_rules.selection
_backbone = _sibling("shrink_backbone")
_follow: Callable[..., dict[str, Any]] = _backbone.follow
_composite = _sibling("shrink_composite")
_image = _sibling("shrink_image")
_filters: Callable[[dict[str, Any]], dict[str, Any]] = _sibling("shrink_codec").filters
_indices: Callable[[dict[str, Any]], dict[str, Any]] = _sibling("shrink_indices").indices
_groups: Callable[[dict[str, Any]], dict[str, Any]] = _sibling("shrink_groups").groups
parameters: Callable[[type, dict[str, Any]], int | None] = _measure.parameters
_SUB_CONFIG_MARK = "model_type"  # as in shrink_repair.py


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


HIDDEN, HEADS, LAYERS, INTERMEDIATE, MOE_INTERMEDIATE, VOCAB, POSITIONS = 32, 4, 2, 37, 32, 99, 512
# Encoder positions of a fixed-length input (Whisper's 1500: it takes exactly 2 x that many audio frames, and
# its attention maps are positions^2): the tests feed `2 * max_source_positions` frames.
SOURCE_POSITIONS = 32
QUERIES = 10
SLIDING_WINDOW = 4  # shorter than the example text: the sliding path is exercised
_HIDDEN = re.compile(
    r"^(hidden_size|d_model|n_embd|embed_dim|emb_dim|dim|word_embed_proj_dim|embedding_size|\w+_hidden_size)$"
)
_HEADS = re.compile(r"^(num_attention_heads|n_head|n_heads|num_heads|\w+_attention_heads)$")
_KV_HEADS = re.compile(r"^(num_key_value_heads|n_kv_heads|num_kv_heads|multi_query_group_num|\w+_key_value_heads)$")
_LAYERS = re.compile(
    r"^(num_hidden_layers|n_layer|n_layers|num_layers|encoder_layers|decoder_layers|\w+_hidden_layers)$"
)
_INTERMEDIATE = re.compile(r"^(intermediate_size|ffn_dim|n_inner|d_ff|\w+_ffn_dim|\w+_intermediate_size)$")
_EXPERTS = {"num_local_experts": 4, "num_experts": 4, "n_routed_experts": 4, "moe_num_experts": 4,
            "num_experts_per_tok": 2, "moe_topk": 2, "n_shared_experts": 1, "num_shared_experts": 1,
            "moe_k": 2, "n_group": 1, "topk_group": 1}  # fmt: skip
# A periodic schedule of layer kinds (attention every `attn_layer_period` layers from `attn_layer_offset`).
_SCHEDULE = re.compile(r"^(\w+)_layer_(period|offset)$")
_TOKEN = re.compile(r"_token_(id|index)$|_token_ids$")
_SMALL_IDS = {"pad_token_id": 0, "bos_token_id": 1, "eos_token_id": 2}


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


def _is_moe(values: dict[str, Any]) -> bool:
    return any("expert" in key and _is_int(value) and value > 1 for key, value in values.items())


def _has_experts(config: Any) -> bool:
    """Packed expert modules in the model, as its parallelism plans name them (`layers.*.mlp.experts`):
    MoE sizes even where the default expert count is unset or 1."""
    plans = [getattr(type(config), name, None) for name in ("base_model_tp_plan", "base_model_ep_plan")]
    return any(isinstance(plan, dict) and any(".experts" in str(key) for key in plan) for plan in plans)


def _attr(config: Any, key: str) -> Any:
    try:  # heterogeneous configs raise on per-layer attributes read globally
        return getattr(config, key, None)
    except Exception:
        return None


def _is_config(value: Any) -> bool:
    return hasattr(value, "to_dict") and isinstance(getattr(type(value), _SUB_CONFIG_MARK, None), str)


def _sub_config(value: Any, flags: dict[str, Any]) -> Any:
    """A nested config (any name), or a list/dict of them, shrunk; None when `value` is none of these."""
    if _is_config(value):
        return {**_composite.switches(value), **shrink(value, **flags), _SUB_CONFIG_MARK: value.model_type}
    if isinstance(value, (list, tuple)) and value and all(_is_config(v) for v in value):
        return [_sub_config(v, flags) for v in value]
    if isinstance(value, dict) and value and all(_is_config(v) for v in value.values()):
        return {k: _sub_config(v, flags) for k, v in value.items()}
    return None


def _shrunk_values(values: dict[str, Any]) -> dict[str, Any]:
    """The size rules on a plain dict of fields (a per-layer override), other fields kept."""
    return {**values, **_sizes(values, None, set(), {})}


def shrink(
    config: Any,
    wide: bool = False,
    layers: bool = True,
    fill: bool = False,
    least: int = 0,
    widths: set[int] | None = None,
    image: int | None = None,
) -> dict[str, Any]:
    """Keyword arguments that rebuild `config` (a `PreTrainedConfig`) at test size; `wide`: every
    size-like field by its name's words too (`d_latents`, `entity_vocab_size`, `hidden_sizes`);
    `layers`: `layer_types` rewritten to keep every kind of layer (else left to the config);
    `fill`: unset (None) expert counts set too (a source whose MoE code reads them regardless);
    `least`: the smallest a count of some of the layers scales to (Evolla divides by its `aligner_num_add_layers`);
    `widths`: the source widths of the whole model (default: those of `config` and its sub-configs);
    `image`: the ratio its image sizes shrink by (`shrink_image.py`; computed with the widths)."""
    values = config.to_dict()
    if widths is None:
        tree = _composite.configs(config, _is_config)
        widths, image = _composite.widths(tree, _HIDDEN), _image.ratio(tree)
    accepted = _accepted(type(config))
    out: dict[str, Any] = {}

    def put(key: str, value: Any) -> None:
        if accepted is None or key in accepted:
            out[key] = value

    tuples: dict[str, list[Any]] = {}
    backbones: list[tuple[dict[str, Any], dict[str, Any]]] = []  # each sub-config: source fields, tiny kwargs
    for key, value in values.items():
        attr = _backbone.without_timm(config, key, _attr(config, key), _is_config)
        same_shape = isinstance(value, dict) if not isinstance(attr, (list, tuple)) else isinstance(value, list)
        sub = (
            _sub_config(
                attr, {"wide": wide, "layers": layers, "fill": fill, "least": least, "widths": widths, "image": image}
            )
            if same_shape
            else None
        )  # not `per_layer_config` (a dict here, a list there)
        if sub is not None:
            put(key, sub)
            if isinstance(sub, dict) and _SUB_CONFIG_MARK in sub:
                backbones.append((attr.to_dict(), sub))
        elif key == "rope_parameters" and isinstance(value, dict) and _takes_mrope(config, value):
            put(key, {**value, "mrope_section": _mrope_sections(value, values)})  # splits the tiny rotary half
        elif key in ("out_features", "out_indices") and isinstance(value, list) and value:
            out[key] = value  # the stages a parent config asked of its backbone (UperNet: all four); a kwarg
        elif isinstance(attr, tuple) and attr and all(isinstance(v, (int, float, str)) for v in attr):
            tuples[key] = list(attr)  # as a loaded config has it: `[hidden_sizes[0]] + hidden_sizes` needs a list
    singles = set()  # a single width tied to a stage: the backbone's width wins (below)
    for key, value in {**_stages(values), **_indices(values)}.items():  # per-stage sizes (ConvNeXt), layer indices
        if key not in out:
            put(key, value)
            singles.update([key] if _is_int(value) else [])
    out.update(_sizes(values, accepted, set(), out, wide, _has_experts(config)))
    out.update({k: v for k, v in _groups({**values, **out}).items() if accepted is None or k in accepted})
    for key, value in _follow(values, backbones).items():  # channels of the backbone's stages it reads
        if key not in out or key in singles:
            put(key, value)
    # Channel counts at another config's width; sizes tied to the image.
    for key, value in {**_composite.outer(values, out, widths, HIDDEN), **_image.sizes(values, image)}.items():
        put(key, value)
    for key, value in tuples.items():  # unless shrunk (the wider pass scales `hidden_sizes`)
        if key not in out:
            put(key, value)
    _selection(values, out, _LAYERS)  # stages are layers here: the selection fitted to the tiny depth
    _fill_computed(values, accepted, out, fill)
    if not layers or _attr(config, "layer_types") != values.get("layer_types"):  # serialized otherwise
        values = {k: v for k, v in values.items() if k != "layer_types"}  # (pairs of blocks)
    _per_layer.fit(values, accepted, out, _LAYERS, _shrunk_values, least)
    if getattr(config, "is_encoder_decoder", False) and getattr(config, "decoder_start_token_id", None) is None:
        # Seq2seq tests shift labels right: they need a start token (T5's config has none by default).
        start = out.get("pad_token_id", values.get("pad_token_id"))
        out["decoder_start_token_id"] = start if _is_int(start) else 0  # configs take it as an extra kwarg
    return out


def _fill_computed(values: dict[str, Any], accepted: set[str] | None, out: dict[str, Any], fill: bool) -> None:
    """Sizes the source leaves unset (None) and the model reads as given: head_dim = hidden / heads,
    key/value heads = heads (a default config that would not build at any size)."""
    if values.get("vocab_size", 0) is None and (accepted is None or "vocab_size" in accepted):
        out["vocab_size"] = VOCAB  # the model sizes its embeddings by it regardless (ESM)
    if fill:
        for key in (k for k, v in values.items() if v is None and k not in out and "expert" in k):
            out[key] = _EXPERTS.get(key, MOE_INTERMEDIATE if _INTERMEDIATE.match(key) else 2)  # top-k: 2
        if (
            any("expert" in k and _is_int(v) for k, v in out.items())
            and values.get("moe_intermediate_size", 0) is None
        ):
            out["moe_intermediate_size"] = MOE_INTERMEDIATE
    sizes = {**values, **out}
    hidden: Any = sizes.get("hidden_size", sizes.get("d_model"))
    heads: Any = sizes.get("num_attention_heads")
    if not (_is_int(hidden) and _is_int(heads) and heads > 0):
        return
    for key, value in (("head_dim", hidden // heads), ("num_key_value_heads", heads)):
        if key in values and values[key] is None and (accepted is None or key in accepted):
            out[key] = value


def _sizes(
    values: dict[str, Any],
    accepted: set[str] | None,
    used_ids: set[int],
    done: dict[str, Any],
    wide: bool = False,
    moe: bool = False,
) -> dict[str, Any]:
    """The tiny value of every size-like field of `values` (not those in `done`), by name."""
    out: dict[str, Any] = {}
    moe = moe or _is_moe(values)
    grouped = any(_is_int(v) and v > 1 for k, v in values.items() if k in ("intermediate_groups", "output_groups"))
    heads = values.get("num_attention_heads") or values.get("n_head") or values.get("num_heads")

    def put(key: str, value: Any) -> None:
        if (accepted is None or key in accepted) and key not in done:
            out[key] = value

    for key, value in values.items():
        if _HEADS.match(key) and isinstance(value, list) and value and all(_is_int(v) and v > 0 for v in value):
            # Per-stage heads (Swin's [3, 6, 12, 24]): each divides the shrunk width (a power of two).
            put(key, [1 << (min(v, HEADS).bit_length() - 1) for v in value])
            continue
        if value is None and key in _EXPERTS and moe:  # a routing count left unset: topk(k=None)
            put(key, _EXPERTS[key])
            continue
        if not _is_int(value) or value <= 0:
            if _TOKEN.search(key) and isinstance(value, list) and any(_is_int(v) and v >= VOCAB for v in value):
                put(key, [_SMALL_IDS.get(key, 3)])
            continue
        if key in _EXPERTS and value > _EXPERTS[key]:
            put(key, _EXPERTS[key])
        elif _KV_HEADS.match(key):  # against the query heads of the same prefix (`encoder_num_`, `swa_num_`)
            own = values.get(key.replace("key_value_heads", "attention_heads"))
            ref = own if _is_int(own) else heads
            put(key, 1 if value == 1 else (HEADS if ref is not None and value >= ref else 2))
        elif _HEADS.match(key) and value > HEADS:
            put(key, HEADS)
        elif _HIDDEN.match(key) and value > HIDDEN:
            put(key, HIDDEN)
        elif _LAYERS.match(key) and value > LAYERS:
            put(key, LAYERS)
        elif (schedule := _SCHEDULE.match(key)) is not None:
            # Fitted into the tiny depth (period at most LAYERS, offset within it): every kind of layer is built.
            given: Any = values.get(f"{schedule[1]}_layer_period")
            period: int = min(given, LAYERS) if _is_int(given) and given > 0 else LAYERS
            fitted = period if schedule[2] == "period" else min(value, period - 1)
            if fitted != value:
                put(key, fitted)
        elif _INTERMEDIATE.match(key) and value > INTERMEDIATE:
            put(key, MOE_INTERMEDIATE if moe or grouped else INTERMEDIATE)  # grouped: SqueezeBERT's 1x1 convs
        elif key in ("vocab_size", "text_vocab_size") and value > VOCAB:
            put(key, VOCAB)
        elif key in ("max_position_embeddings", "n_positions") and value > POSITIONS:
            put(key, POSITIONS)
        elif key == "max_source_positions" and value > SOURCE_POSITIONS:
            put(key, SOURCE_POSITIONS)
        elif key == "image_size" and value > 32:
            patch: int = values["patch_size"] if _is_int(values.get("patch_size")) else 1
            put(key, patch * -(-32 // patch))
        elif _TOKEN.search(key) and value >= VOCAB:
            small = _SMALL_IDS.get(key)
            if small is None:
                small = next(i for i in range(3, VOCAB) if i not in used_ids)
            used_ids.add(small)
            put(key, small)
        elif key in ("head_dim", "d_kv") and value > 0:  # a fixed per-head width (T5's `d_kv`)
            put(key, HIDDEN // HEADS)
        elif wide and _wide(key) == "vocab" and value > VOCAB:
            put(key, VOCAB)
        elif wide and _wide(key) == "width" and value > HIDDEN:
            put(key, HIDDEN)
        elif key == "num_queries" and value > QUERIES:  # detector queries: a top-k over a tiny image's few tokens
            put(key, QUERIES)
        elif key == "rotary_dim" and value > HIDDEN // HEADS:  # a rotated part of the head: half the tiny head
            put(key, HIDDEN // HEADS // 2)
    if wide:
        for key, value in values.items():
            if _wide(key) and isinstance(value, (list, tuple)) and value and all(_is_int(v) and v > 0 for v in value):
                put(key, _scaled(list(value)))
        for key, value in _filters(values).items():  # a codec's stem, doubled at each down-sampling stage
            put(key, value)
    _composite.equal_to_width(values, out, put, _HIDDEN, _TOKEN)
    languages = values.get("languages")
    if values.get("default_language", 0) is None and isinstance(languages, (list, tuple)) and languages:
        put("default_language", languages[0])  # per-language adapters: the forward needs one (X-MOD)
    if "sliding_window" in values and values["sliding_window"] is None and _per_layer.sliding(values):
        put("sliding_window", SLIDING_WINDOW)  # sliding layers with no window: the mask cannot be built
    return out


WIDE_ABOVE = 100_000_000  # the shrunk model still "not tiny" (the sweep's limit): only then the second, wider pass


def tiny_kwargs(model_type: str) -> dict[str, Any]:
    """Shrunk keyword arguments of the fork's config for `model_type`, checked by building it.

    The shrink by the known size names first; where that model is still large (or does not build),
    the wider pass (`shrink(wide=True)`) is tried and kept when its model builds and is smaller."""
    from transformers import AutoConfig

    config = AutoConfig.for_model(model_type)
    # Raises when the shrunk sizes do not fit together and no consistent values were found.
    kwargs = repaired(type(config), shrink(config), config.to_dict())
    size = parameters(type(config), kwargs)
    # A model that does not build: a kind of layer the source's defaults cannot build (the config's
    # own layer pattern then), unset expert counts its code reads anyway (filled), or a count of some of the layers that the model divides by, scaled to 0 (at least 1 then).
    for variant in ({"layers": False}, {"fill": True}, {"layers": False, "fill": True}, {"least": 1}):
        if size is not None:
            break
        try:
            other = repaired(type(config), shrink(config, **variant), config.to_dict())
        except ValueError:
            continue
        if other != kwargs and (other_size := parameters(type(config), other)) is not None:
            kwargs, size = other, other_size
    if size is None:  # the model's init rejects a size the config accepted: repaired against the build too
        try:
            built = repaired(type(config), kwargs, config.to_dict(), build=_build)
            kwargs, size = built, parameters(type(config), built)
        except (ValueError, ImportError):
            pass
    if size is not None and size > WIDE_ABOVE:  # measured large (one that does not build here is kept)
        try:
            wide = repaired(type(config), shrink(config, wide=True), config.to_dict())
        except ValueError:
            return kwargs
        wide_size = parameters(type(config), wide)
        if wide_size is not None and wide_size < size:
            return wide
    return kwargs


if __name__ == "__main__":
    sys.path.insert(0, sys.argv[1])
    try:
        result: dict[str, Any] = {"tiny": tiny_kwargs(sys.argv[2])}
    except Exception as exc:  # reported to the caller, who falls back to the static reader
        result = {"error": f"{type(exc).__name__}: {exc}"[:500]}
    print(json.dumps(result, default=str))
