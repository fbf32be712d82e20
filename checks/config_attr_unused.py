from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from transformers_scaffold.checker.api import Finding, Rule
from transformers_scaffold.checker.astutil import class_attr, dotted, string_value, top_classes
from transformers_scaffold.checker.context import MODELS_DIR, CheckContext
from transformers_scaffold.checker.repo import is_config_class

from ._config_fields import config_fields

# Read by PreTrainedConfig / PreTrainedModel / generation / pipelines, not by modeling code.
GENERIC = {
    "use_cache",
    "pad_token_id",
    "bos_token_id",
    "eos_token_id",
    "decoder_start_token_id",
    "sep_token_id",
    "tie_word_embeddings",
    "tie_encoder_decoder",
    "initializer_range",
    "is_encoder_decoder",
    "is_decoder",
    "output_hidden_states",
    "output_attentions",
    "return_dict",
    "dtype",
    "torch_dtype",
    "id2label",
    "label2id",
    "num_labels",
    "problem_type",
    "chunk_size_feed_forward",
    "architectures",
    "tokenizer_class",
    "prefix",
    "task_specific_params",
    "add_cross_attention",
    "cross_attention_hidden_size",
    "layer_types",
    "rope_parameters",
    "rope_scaling",
    "rope_theta",
    "max_position_embeddings",
    "attn_implementation",
    "pretraining_tp",
    "initializer_factor",
    "classifier_dropout",
    "vocab_size",
    "transformers_version",
    "output_router_logits",  # read through the output-recording kwargs (utils/generic.py)
}


def _attribute_map(cls: ast.ClassDef) -> dict[str, str]:
    """field -> alias from `attribute_map = {"hidden_size": "n_embd"}` (alias read = field read)."""
    attr = class_attr(cls, "attribute_map")
    if attr is None or not isinstance(attr.value, ast.Dict):
        return {}
    return {
        string_value(v) or "": string_value(k) or "" for k, v in zip(attr.value.keys, attr.value.values, strict=False)
    }


# Library code that reads model configs generically: weight init, masks, RoPE, output recording,
# generation defaults, losses (DETR-style `class_cost`), integrations.
SHARED_READERS = (
    "src/transformers/modeling_utils.py",
    "src/transformers/masking_utils.py",
    "src/transformers/modeling_rope_utils.py",
    "src/transformers/utils/generic.py",
    "src/transformers/generation/utils.py",
    "src/transformers/generation/configuration_utils.py",
)
SHARED_FOLDERS = ("src/transformers/loss", "src/transformers/integrations")
_READ = re.compile(r"config\.(\w+)|[\"'](\w+)[\"']")


def _shared_reads(ctx: CheckContext) -> set[str]:
    """Names the shared library code reads from configs; cached per file content."""

    def compute() -> set[str]:
        paths = [p for p in SHARED_READERS if ctx.exists(p)]
        for folder in SHARED_FOLDERS:
            paths += sorted(f"{folder}/{p.name}" for p in (ctx.root / folder).glob("*.py"))
        names: set[str] = set()
        for path in paths:

            def compute(p: str = path) -> list[str]:
                return sorted({a or b for a, b in _READ.findall(ctx.source(p).text)})

            reads = ctx.fact(path, "config-reads", compute)
            names.update(reads)
        return names

    return ctx.memo("shared-config-reads", compute)


STRIPPED_PREFIX = re.compile(r"\.startswith\(\s*[\"'](\w+_)[\"']\s*\)")


class ConfigAttrUnused(Rule):
    """What it does
    For each field of a model's configuration classes, checks that the model package's other
    files read it (`config.<field>`, `getattr(config, "<field>")`, or the name as a string).
    Fields consumed by the library's base classes (`use_cache`, token ids,
    `tie_word_embeddings`, `initializer_range`, `rope_parameters`, ...) are exempt, and so are
    fields read through an `attribute_map` alias (GPT-2's `n_head` is read as
    `config.num_attention_heads`) or by the config's own methods (T5's `feed_forward_proj`
    derives `dense_act_fn` in `__post_init__`), and fields the shared library code reads from any
    config (`modeling_utils.py` reads `init_std`, the output recorder `output_router_logits`,
    the DETR losses `class_cost`, generation `forced_eos_token_id`).

    Why is this bad?
    A field nobody reads is a knob that does nothing: users tune it and nothing changes.
    Upstream's `check_config_attributes.py` enforces the same.

    Example
    ```python
    class AcmeConfig(PreTrainedConfig):
        hidden_size: int = 768
        use_fancy_norm: bool = True  # never read by modeling_acme.py
    ```

    Like upstream, it reads the fork's own allowlists from `utils/check_config_attributes.py`
    (`SPECIAL_CASES_TO_ALLOW` per class, `ATTRIBUTES_TO_ALLOW` patterns everywhere, through the
    fork-facts layer), counts `config.<field>` as a substring (so `config.<field>_x` reads it, as
    upstream's test does), checks only configuration modules that hold a registered config, and
    treats prefixed fields that the model copies onto their plain names (SeamlessM4T's `t2u_*`
    after `param.startswith("t2u_")`) as read when the plain name is.

    Fix safety
    No automatic fix. On llama, `pretraining_tp` is kept only for checkpoint compatibility
    (upstream allowlists it too); add your own with
    `[tool.scaffold.rule-options.config-attr-unused] allow = ["field"]`.
    """

    CODE = "SCF112"
    MIRRORS = "utils/check_config_attributes.py"
    OPTIONS = {"allow": list}
    NAME = "config-attr-unused"
    SUMMARY = "config field never read by the modeling code"
    SEVERITY = "warning"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        allow = GENERIC | set(self.option("allow", []))
        upstream = ctx.facts.config_attribute_allowlist
        registered = set(ctx.facts.config_mapping.values())
        for module in ctx.target_models():
            folder = ctx.root / MODELS_DIR / module
            configs = ctx.model_files(module, "configuration_")
            if not configs:
                continue
            users = "\n".join(
                ctx.source(f"{MODELS_DIR}/{module}/{p.name}").text
                for p in sorted(folder.glob("*.py"))
                if not p.name.startswith(("configuration_", "convert_", "__init__"))
            )
            if not users:
                continue
            used = set(re.findall(r"\.(\w+)", users)) | set(re.findall(r"[\"'](\w+)[\"']", users))
            # Prefixed fields copied onto their plain names (`if param.startswith("t2u_"):
            # setattr(config, param[4:], value)` in SeamlessM4T): reading the plain name reads them.
            copied = set(STRIPPED_PREFIX.findall(users))
            for source in configs:
                classes = [c for c in top_classes(source.tree) if is_config_class(c)]
                if registered and not any(c.name in registered for c in classes):
                    continue  # upstream checks the modules of registered configs only
                for cls in classes:
                    if not is_config_class(cls):
                        continue
                    aliases = _attribute_map(cls)
                    own = {n.attr for n in ast.walk(cls) if isinstance(n, ast.Attribute) and dotted(n.value) == "self"}
                    for name, line in config_fields(cls):
                        if name in allow or name in own or aliases.get(name, "") in used:
                            continue
                        if upstream.allows(cls.name, name) or f"config.{name}" in users:
                            continue  # the fork's own allowlists; upstream's substring test
                        prefix = next((p for p in copied if name.startswith(p)), None)
                        if prefix is not None and name[len(prefix) :] in used | allow:
                            continue
                        if name not in used and name not in _shared_reads(ctx):
                            yield self.finding(
                                source.path,
                                line,
                                f"{cls.name}.{name} is never read by the model code",
                                fix="use it in the modeling code or remove it",
                            )
