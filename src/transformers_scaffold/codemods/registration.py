"""Every edit to existing files that registers a new model, computed in memory.

`plan_registration` reads each file through the caller's `read` and returns `{path: new_text}`
for the files that change; it writes nothing (the pipeline writes all files atomically later).
Each file is parsed once and all of its edits are applied in one pass.
"""

from __future__ import annotations

from pathlib import Path

from transformers_scaffold.codemods.mappings import MappingEntry, PyExpr, apply_mapping_entries
from transformers_scaffold.codemods.toctree import DEFAULT_SECTION, AddToctreeEntry
from transformers_scaffold.codemods.type_checking import add_type_checking_import
from transformers_scaffold.errors import UserError
from transformers_scaffold.facts import ForkFacts, layout
from transformers_scaffold.facts.mappings import spelling_of
from transformers_scaffold.names import ModelNames
from transformers_scaffold.spec import ModelSpec


def _required(facts: ForkFacts, rel: str) -> str:
    text = facts.read(rel)
    if text is None:
        raise UserError(f"{rel} not found; --repo must point at a Transformers v5 fork")
    return text


def tokenizer_value(facts: ForkFacts, spec: ModelSpec) -> str | PyExpr:
    """How TOKENIZER_MAPPING_NAMES spells the new model's tokenizer.

    Another model type's entry (`spec.tokenizer_source`) is copied verbatim, guards included; a bare
    class reuses the guard of an existing entry that means that class (e.g.
    `"LlamaTokenizer" if is_tokenizers_available() else None`); a plain string when none does.
    """
    if spec.tokenizer_source:
        source = spec.tokenizer_source
        return spec.tokenizer_class if source == f'"{spec.tokenizer_class}"' else PyExpr(source)
    spelling = spelling_of(facts.mapping("TOKENIZER_MAPPING_NAMES"), spec.tokenizer_class)
    return PyExpr(spelling) if spelling and spelling != f'"{spec.tokenizer_class}"' else spec.tokenizer_class


# Preprocessor mappings whose `--like` source entry the new model reuses, as it reuses the tokenizer.
REUSED_PREPROCESSOR_MAPPINGS = (
    "IMAGE_PROCESSOR_MAPPING_NAMES",
    "VIDEO_PROCESSOR_MAPPING_NAMES",
    "FEATURE_EXTRACTOR_MAPPING_NAMES",
    "PROCESSOR_MAPPING_NAMES",
)


def reused_processor_entries(facts: ForkFacts, names: ModelNames, spec: ModelSpec) -> list[MappingEntry]:
    """The source's image processor, video processor, feature extractor and processor entries, copied
    verbatim (guards and backend dicts included) under the new model type: `--like vit` registers
    `ViTImageProcessor` for the new type, so `AutoImageProcessor` resolves it."""
    if not spec.source_model_type:
        return []
    out = []
    for mapping in REUSED_PREPROCESSOR_MAPPINGS:
        entry = next((e for e in facts.mapping(mapping) if e.key == spec.source_model_type), None)
        if entry is not None and entry.source.strip() != "None":  # backend dicts have no `classes`
            out.append(MappingEntry(mapping, names.model_type, PyExpr(entry.source)))
    return out


def plan_registration(
    facts: ForkFacts,
    names: ModelNames,
    spec: ModelSpec,
    toctree_section: str | None = None,
) -> dict[Path, str]:
    """`{root / rel: new_text}` for every existing file the registration changes (or creates: the toctree).

    Raises `UserError` (nothing is written by anyone) when a file lacks the expected structure or an
    entry conflicts with one already there. Running it on already-registered files returns `{}`.
    """
    root = facts.root
    out: dict[Path, str] = {}

    def keep(rel: str, old: str | None, new: str) -> None:
        if new != old:
            out[root / rel] = new

    config_rel = facts.defining_file("CONFIG_MAPPING_NAMES")
    if config_rel is None:
        raise UserError(
            f"no CONFIG_MAPPING_NAMES mapping in {layout.AUTO_MAPPINGS} or {layout.CONFIGURATION_AUTO}; "
            "--repo must point at a Transformers v5 fork"
        )
    config_text = _required(facts, config_rel)
    config_entries = [MappingEntry("CONFIG_MAPPING_NAMES", names.model_type, spec.config_class)]
    if names.model_type != names.module:  # `my-model` lives in models/my_model
        config_entries.append(MappingEntry("SPECIAL_MODEL_TYPE_TO_MODULE_NAME", names.model_type, names.module))
    for model_type, config_class in spec.sibling_configs:  # `--like`: the copied package's other configs
        config_entries.append(MappingEntry("CONFIG_MAPPING_NAMES", model_type, config_class))
        if model_type != names.module:
            config_entries.append(MappingEntry("SPECIAL_MODEL_TYPE_TO_MODULE_NAME", model_type, names.module))
    others: dict[str, list[MappingEntry]] = {}
    for entry in reused_processor_entries(facts, names, spec):
        rel = facts.defining_file(entry.mapping)
        if rel == config_rel:
            config_entries.append(entry)
        elif rel is not None:
            others.setdefault(rel, []).append(entry)
    keep(config_rel, config_text, apply_mapping_entries(config_text, config_entries, config_rel))
    for rel, entries in others.items():
        text = _required(facts, rel)
        keep(rel, text, apply_mapping_entries(text, entries, rel))

    modeling_text = _required(facts, layout.MODELING_AUTO)
    modeling_entries = [MappingEntry(mapping, names.model_type, cls) for mapping, cls in spec.registrations()]
    modeling_entries += [MappingEntry(mapping, model_type, cls) for mapping, model_type, cls in spec.sibling_models]
    keep(
        layout.MODELING_AUTO,
        modeling_text,
        apply_mapping_entries(modeling_text, modeling_entries, layout.MODELING_AUTO),
    )

    if spec.tokenizer_class:
        tok_text = _required(facts, layout.TOKENIZATION_AUTO)
        entry = MappingEntry("TOKENIZER_MAPPING_NAMES", names.model_type, tokenizer_value(facts, spec))
        keep(layout.TOKENIZATION_AUTO, tok_text, apply_mapping_entries(tok_text, [entry], layout.TOKENIZATION_AUTO))

    init_text = _required(facts, layout.MODELS_INIT)
    keep(layout.MODELS_INIT, init_text, add_type_checking_import(init_text, names.module, layout.MODELS_INIT))

    toc_text = facts.read(layout.TOCTREE)
    section = toctree_section
    if section is None and spec.source_model_type:  # `--like`: the source model's modality
        section = facts.section_of(f"model_doc/{spec.source_model_type}")
    toc = AddToctreeEntry(
        local=f"model_doc/{names.model_type}", title=names.title, section=section or DEFAULT_SECTION
    ).transform(toc_text)
    keep(layout.TOCTREE, toc_text, toc)
    return out
