"""Static facts about a Transformers checkout, read with `ast` (never `import transformers`).

Everything is memoised on the run's context, so twenty rules asking for the auto mappings parse
`modeling_auto.py` once.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from transformers_scaffold.checker.astutil import base_names, class_attr, string_value, top_classes
from transformers_scaffold.checker.context import CheckContext, SourceFile
from transformers_scaffold.facts.exports import read_all
from transformers_scaffold.facts.layout import (
    AUTO_DOCSTRING,
    AUTO_MAPPINGS,
    CONFIGURATION_AUTO,
    DOCS_MODEL_DOC,
    MODELING_AUTO,
    TOCTREE,
)

__all__ = [
    "AUTO_DOCSTRING",
    "AUTO_MAPPINGS",
    "CONFIGURATION_AUTO",
    "DOCS_MODEL_DOC",
    "MODELING_AUTO",
    "TOCTREE",
    "ConfigClass",
    "config_classes",
    "config_mapping",
    "doc_page",
    "documented_config_args",
    "exported",
    "first_changed",
    "generated_from",
    "is_config_class",
    "mapped_classes",
    "model_configs",
    "model_mappings",
    "preferred_doc_page",
    "primary_model_type",
]

GENERATED_FROM = re.compile(r"This file was automatically generated from (\S*modular_\w+\.py)")


@dataclass(frozen=True)
class ConfigClass:
    name: str
    model_type: str | None
    path: str
    line: int  # of the class statement
    model_type_line: int | None


def is_config_class(cls: ast.ClassDef) -> bool:
    return any(b.endswith(("Config", "PreTrainedConfig", "PretrainedConfig")) for b in base_names(cls))


def config_classes(source: SourceFile) -> list[ConfigClass]:
    result = []
    for cls in top_classes(source.tree):
        if not is_config_class(cls):
            continue
        attr = class_attr(cls, "model_type")
        model_type = string_value(attr.value) if attr is not None and attr.value is not None else None
        result.append(ConfigClass(cls.name, model_type, source.path, cls.lineno, attr.lineno if attr else None))
    return result


def config_mapping(ctx: CheckContext) -> dict[str, str]:
    """`CONFIG_MAPPING_NAMES` (model type -> config class), from the fork-facts layer."""
    return ctx.facts.config_mapping


def model_mappings(ctx: CheckContext) -> dict[str, dict[str, list[str]]]:
    """Every `*_MAPPING_NAMES` of modeling_auto.py: mapping -> model type -> class names."""
    return ctx.facts.model_mappings


def mapped_classes(ctx: CheckContext, mapping: str) -> frozenset[str]:
    return ctx.facts.mapped_classes(mapping)


def model_configs(ctx: CheckContext, module: str) -> list[ConfigClass]:
    return [c for f in ctx.model_files(module, "configuration_") for c in config_classes(f)]


_SUB_CONFIGS = re.compile(r"^\s*sub_configs\s*=\s*\{([^}]*)\}", re.MULTILINE)


def primary_model_type(ctx: CheckContext, module: str) -> str | None:
    """The model type that names the package: the config whose type maps back to `module`."""
    configs = [c for c in model_configs(ctx, module) if c.model_type]
    types = [c.model_type for c in configs if c.model_type]
    for model_type in types:
        if model_type.replace("-", "_") == module:
            return model_type
    # Else the composite root: a config no other config of the package lists in `sub_configs`
    # (Kosmos-2's "kosmos-2", not its "kosmos_2_text_model" sub-config).
    subs = {
        name
        for source in ctx.model_files(module, "configuration_")
        for block in _SUB_CONFIGS.findall(source.text)
        for name in re.findall(r":\s*([A-Za-z_]\w*)", block)
    }
    roots = [c.model_type for c in configs if c.name not in subs]
    return roots[0] if roots else (types[0] if types else None)


def documented_config_args(ctx: CheckContext) -> frozenset[str]:
    """Field names that `@auto_docstring` documents for configs (class `ConfigArgs`)."""
    return ctx.facts.documented_config_args


def generated_from(source: SourceFile) -> str | None:
    """The `modular_*.py` path named in a generated file's "Do NOT edit" header, if any."""
    match = GENERATED_FROM.search("\n".join(source.lines[:8]))
    if not match:
        return None
    named = match.group(1)
    folder = source.path.rsplit("/", 1)[0]
    return f"{folder}/{named.rsplit('/', 1)[-1]}"


def doc_page(ctx: CheckContext, module: str) -> str | None:
    """The doc page of a model: `model_doc/<model-type>.md` (upstream) or `<module>.md`."""
    candidates = [module, module.replace("_", "-")]
    model_type = primary_model_type(ctx, module)
    if model_type:
        candidates.insert(0, model_type)
    for name in candidates:
        path = f"{DOCS_MODEL_DOC}/{name}.md"
        if ctx.exists(path):
            return path
    return None


def preferred_doc_page(ctx: CheckContext, module: str) -> str:
    return f"{DOCS_MODEL_DOC}/{primary_model_type(ctx, module) or module}.md"


def exported(source: SourceFile) -> tuple[list[str], int] | None:
    """`__all__` of a file and its line, through the fork-facts layer (textual, no full parse)."""
    return read_all(source.text)


def first_changed(ctx: CheckContext, path: str) -> list[int]:
    """Changed line numbers of `path`, non-blank first (a finding should point at code)."""
    source = ctx.source(path)
    lines = sorted(ctx.changed_lines(path) or {1})
    return [n for n in lines if source.line(n).strip()] or lines
