"""The `ModelSpec` of a `--like` model: the source's classes, renamed, and how they are registered."""

from __future__ import annotations

import ast
from typing import Any

from transformers_scaffold.errors import UserError
from transformers_scaffold.facts import Entry
from transformers_scaffold.facts.mappings import assigned_names
from transformers_scaffold.facts.tasks import BASE_MAPPING
from transformers_scaffold.like.derive import base_name, class_table, derive_base, pretrained_of
from transformers_scaffold.like.inputs import input_recipe
from transformers_scaffold.like.rename import Renamer
from transformers_scaffold.like.source import SourceModel
from transformers_scaffold.like.tiny import config_fields, tiny_config
from transformers_scaffold.spec import HeadSpec, ModelSpec

CAUSAL_LM_MAPPING = "MODEL_FOR_CAUSAL_LM_MAPPING_NAMES"
SEQUENCE_CLASSIFICATION_MAPPING = "MODEL_FOR_SEQUENCE_CLASSIFICATION_MAPPING_NAMES"
# Used when the source names no tokenizer at all (5.24's mistral): the generic fast tokenizer.
FALLBACK_TOKENIZER = "PreTrainedTokenizerFast"


def _class_attr(tree: ast.Module, attr: str) -> ast.expr | None:
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        for stmt in cls.body:
            if attr in assigned_names(stmt):
                return getattr(stmt, "value", None)
    return None


def _recorded(tree: ast.Module, key: str) -> str | None:
    """The class `_can_record_outputs[key]` names (`LlamaAttention` or `OutputRecorder(LlamaAttention, ...)`).
    Where several classes record it (Whisper's encoder and decoder), the decoder's: the LM head runs it."""
    found = []
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        for stmt in cls.body:
            node = getattr(stmt, "value", None)
            if "_can_record_outputs" not in assigned_names(stmt) or not isinstance(node, ast.Dict):
                continue
            for k, v in zip(node.keys, node.values, strict=False):
                if isinstance(k, ast.Constant) and k.value == key:
                    if isinstance(v, ast.Call) and v.args:
                        v = v.args[0]
                    if isinstance(v, ast.Name):
                        found.append(v.id)
    return next((name for name in found if "Decoder" in name), found[0] if found else None)


def _checkpointed_layers(tree: ast.Module) -> list[str]:
    """Classes of the module that subclass `GradientCheckpointingLayer` (the model's blocks)."""
    return [
        n.name
        for n in tree.body
        if isinstance(n, ast.ClassDef)
        and any(isinstance(b, ast.Name) and b.id == "GradientCheckpointingLayer" for b in n.bases)
    ]


def _dispatches(cls: ast.ClassDef) -> bool:
    return any(isinstance(n, ast.Name) and n.id == "ALL_ATTENTION_FUNCTIONS" for n in ast.walk(cls))


def _dispatcher(tree: ast.Module, name: str) -> str:
    """The attention class that calls the attention interface: `name`, or the class it builds that does (T5's
    `T5LayerSelfAttention` records the outputs of the `T5Attention` it holds, which dispatches)."""
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    if name not in classes or _dispatches(classes[name]):
        return name
    built = [n.func.id for n in ast.walk(classes[name]) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    return next((b for b in built if b in classes and _dispatches(classes[b])), name)


def _builds_attention(cls: ast.ClassDef) -> bool:
    """Whether the class builds an attention module (`self.attention = Wav2Vec2Attention(...)`, or looked up)."""
    for node in ast.walk(cls):
        if isinstance(node, ast.Call):
            name = base_name(node.func) if not isinstance(node.func, ast.Subscript) else base_name(node.func.value)
            if "Attention" in name or "ATTENTION" in name:
                return True
    return False


def _layer_and_attention(src: SourceModel) -> tuple[str, str]:
    tree = ast.parse(src.modeling_text)
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    defined = list(classes)
    layer = _recorded(tree, "hidden_states")
    if layer is None:
        split = _class_attr(tree, "_no_split_modules")
        names = [e.value for e in getattr(split, "elts", []) if isinstance(e, ast.Constant)]
        # The block is the checkpointed layer (Mamba's no-split list also names the mixer inside it); of several
        # (Wav2Vec2 checkpoints its feature encoder's convolutions too), one that holds an attention.
        blocks = [c for c in _checkpointed_layers(tree) if c in names or not names]
        blocks = [c for c in blocks if _builds_attention(classes[c])] or blocks
        layer = (
            blocks[0] if blocks else str(names[-1]) if names else next((c for c in defined if c.endswith("Layer")), "")
        )
    attention = _recorded(tree, "attentions")
    if attention is not None:
        attention = _dispatcher(tree, attention)
    if attention is None:
        preferred = f"{src.camel}Attention"
        attention = preferred if preferred in defined else next((c for c in defined if c.endswith("Attention")), "")
    return layer, attention


def _forward_args(src: SourceModel, cls_name: str) -> set[str]:
    tree = ast.parse(src.modeling_text)
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls_name):
        for fn in (s for s in cls.body if isinstance(s, ast.FunctionDef) and s.name == "forward"):
            return {a.arg for a in fn.args.args + fn.args.kwonlyargs}
    return set()


def resolve_tokenizer(src: SourceModel, tokenizer: Entry | None) -> Entry:
    """The tokenizer the new model reuses: `tokenizer` (another model type's entry, `--tokenizer`),
    else the source's own mapping entry (registered verbatim), else its own tokenizer class."""
    if tokenizer is not None:
        return tokenizer
    if src.tokenizer_entry is not None:
        return src.tokenizer_entry
    own = [t for t in src.tokenizer_classes if not t.endswith("Fast")]
    return Entry(src.model_type, "", (own[0] if own else FALLBACK_TOKENIZER,), 0)


def _tiny(fields: dict[str, Any], shrunk: dict[str, Any] | None, needs_pad_token: bool) -> dict[str, Any]:
    """The family-aware shrink of the real config when the fork could run it, else the static reader's."""
    static = tiny_config(fields, needs_pad_token=needs_pad_token)
    if shrunk is None:
        return static
    tiny = dict(shrunk)
    if needs_pad_token and "pad_token_id" in static and tiny.get("pad_token_id") is None:
        tiny["pad_token_id"] = static["pad_token_id"]
    return tiny


def build_spec(
    src: SourceModel,
    renamer: Renamer,
    tokenizer: Entry,
    modular: bool,
    available_tasks: frozenset[str] | None = None,
    shrunk: dict[str, Any] | None = None,
) -> ModelSpec:
    """The spec of the new model: the source's public classes renamed, registered where the source's are."""
    new = renamer.identifier
    public = [c for c in src.model_all if c in src.registrations or c.endswith("PreTrainedModel")]
    base = next((c for c in src.model_all if BASE_MAPPING in src.registrations.get(c, ())), None)
    # Multimodal models export several (text, vision...); the one named after the model comes first.
    candidates = [c for c in src.model_all if c.endswith("PreTrainedModel")]
    preferred = f"{src.camel}PreTrainedModel"
    pretrained = preferred if preferred in candidates else next(iter(candidates), None)
    registrations = dict(src.registrations)
    derived_base = base is None
    if base is None:  # a sub-model or head-only type: derive its base model from the config it is built on
        derived = derive_base(src.modeling_text, src.config_class, src.model_all, registrations)
        if derived is not None:
            base, pretrained = derived.base, derived.pretrained
            registrations.update(derived.heads)
            public = [c for c in src.model_all if c in registrations or c in (base, pretrained)]
    if base is not None and pretrained is None:  # `UnivNetModel(PreTrainedModel)`: no *PreTrainedModel exported
        pretrained = pretrained_of(class_table(src.modeling_text), base, src.model_all)
    if base is None or pretrained is None:
        raise UserError(
            f"--like {src.model_type}: it has no base model registered in MODEL_MAPPING_NAMES, and no exported "
            f"PreTrainedModel subclass of {src.modeling_name} is built on {src.config_class}; "
            "pick a model type with a base model (e.g. llama, bert)"
        )
    heads = []
    # One class per mapping and type: the first the source lists (`deit`'s `...WithTeacher` stays unregistered).
    owner: dict[str, str] = {}
    for cls, mappings in registrations.items():
        for mapping in mappings:
            owner.setdefault(mapping, cls)
    for cls in public:
        # The base model is no head, unless a head-only type's derived base (`TrOCRForCausalLM`) is one too.
        if cls == pretrained or cls not in registrations or (cls == base and not derived_base):
            continue
        mappings = tuple(m for m in registrations[cls] if m != BASE_MAPPING and owner[m] == cls)
        if mappings:
            heads.append(HeadSpec.of(new(cls), mappings, available_tasks, source=cls))
    layer, attention = _layer_and_attention(src)
    all_mappings = {m for head in heads for m in head.mappings}
    inputs = ["input_ids", "attention_mask"]
    if "token_type_ids" in _forward_args(src, base):
        inputs.append("token_type_ids")
    fields = config_fields(src.config_text, src.config_class)
    like_bases: tuple[tuple[str, str, str], ...] = ()
    if modular:
        config_module = f"{src.module}.configuration_{src.module}"
        modeling_module = f"{src.module}.modeling_{src.module}"
        classes = [src.config_class, pretrained, base, *(c for c in public if c not in (base, pretrained))]
        like_bases = tuple((new(c), c, config_module if c == src.config_class else modeling_module) for c in classes)
    # What upstream documents of a model's exports: not its building blocks or constants.
    undocumented = ("PreTrainedModel", "Decoder", "Encoder", "Layer", "Embeddings", "Attention")
    covered = {src.config_class, pretrained, base, *public}
    extra_exports = (
        ()
        if modular
        else tuple(
            new(c) for c in src.model_all if c not in covered and not c.isupper() and not c.endswith(undocumented)
        )
    )
    return ModelSpec(
        kind="like",
        config_class=new(src.config_class),
        pretrained_class=new(pretrained),
        base_class=new(base),
        heads=tuple(heads),
        layer_class=new(layer) if layer else "",
        attention_class=new(attention) if attention else "",
        generative=CAUSAL_LM_MAPPING in all_mappings,
        tokenizer_class=tokenizer.first or FALLBACK_TOKENIZER,
        tokenizer_source=tokenizer.source,
        tiny_config=_tiny(fields, shrunk, SEQUENCE_CLASSIFICATION_MAPPING in all_mappings),
        source_model_type=src.model_type,
        input_names=tuple(inputs),
        example_inputs=input_recipe(src.modeling_text, src.config_text, base),
        like_bases=like_bases,
        extra_exports=extra_exports,
    )
