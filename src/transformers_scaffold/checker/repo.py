"""Static facts about a Transformers checkout, read with `ast` (never `import transformers`).

Everything is memoised on the run's context, so twenty rules asking for the auto mappings parse
`modeling_auto.py` once.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from transformers_scaffold.checker.astutil import base_names, class_attr, string_pairs, string_value, top_classes
from transformers_scaffold.checker.context import MODELS_DIR, CheckContext, SourceFile

AUTO_DIR = f"{MODELS_DIR}/auto"
AUTO_MAPPINGS = f"{AUTO_DIR}/auto_mappings.py"
CONFIGURATION_AUTO = f"{AUTO_DIR}/configuration_auto.py"
MODELING_AUTO = f"{AUTO_DIR}/modeling_auto.py"
TOKENIZATION_AUTO = f"{AUTO_DIR}/tokenization_auto.py"
AUTO_DOCSTRING = "src/transformers/utils/auto_docstring.py"
DOCS_MODEL_DOC = "docs/source/en/model_doc"
TOCTREE = "docs/source/en/_toctree.yml"
GENERATED_FROM = re.compile(r"This file was automatically generated from (\S*modular_\w+\.py)")

# Head-class suffix -> the auto mappings that may register it (any one is enough).
HEAD_MAPPINGS: dict[str, tuple[str, ...]] = {
    "ForCausalLM": ("MODEL_FOR_CAUSAL_LM_MAPPING_NAMES",),
    "ForMaskedLM": ("MODEL_FOR_MASKED_LM_MAPPING_NAMES",),
    "ForSequenceClassification": ("MODEL_FOR_SEQUENCE_CLASSIFICATION_MAPPING_NAMES",),
    "ForTokenClassification": ("MODEL_FOR_TOKEN_CLASSIFICATION_MAPPING_NAMES",),
    "ForQuestionAnswering": ("MODEL_FOR_QUESTION_ANSWERING_MAPPING_NAMES",),
    "ForMultipleChoice": ("MODEL_FOR_MULTIPLE_CHOICE_MAPPING_NAMES",),
    "ForNextSentencePrediction": ("MODEL_FOR_NEXT_SENTENCE_PREDICTION_MAPPING_NAMES",),
    "ForPreTraining": ("MODEL_FOR_PRETRAINING_MAPPING_NAMES",),
    "ForImageClassification": ("MODEL_FOR_IMAGE_CLASSIFICATION_MAPPING_NAMES",),
    "ForAudioClassification": ("MODEL_FOR_AUDIO_CLASSIFICATION_MAPPING_NAMES",),
    "ForCTC": ("MODEL_FOR_CTC_MAPPING_NAMES",),
    "ForObjectDetection": ("MODEL_FOR_OBJECT_DETECTION_MAPPING_NAMES",),
    "ForSemanticSegmentation": ("MODEL_FOR_SEMANTIC_SEGMENTATION_MAPPING_NAMES",),
    "ForDepthEstimation": ("MODEL_FOR_DEPTH_ESTIMATION_MAPPING_NAMES",),
}


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


def _pairs(ctx: CheckContext, path: str, variable: str) -> list[tuple[str, str, int]]:
    if not ctx.exists(path):
        return []
    return string_pairs(ctx.source(path).tree, variable)


def config_mapping(ctx: CheckContext) -> dict[str, str]:
    """`CONFIG_MAPPING_NAMES` (model type -> config class); 5.24 keeps it in auto_mappings.py."""
    path = AUTO_MAPPINGS if ctx.exists(AUTO_MAPPINGS) else CONFIGURATION_AUTO
    return ctx.fact(path, "config_mapping", lambda: {k: v for k, v, _ in _pairs(ctx, path, "CONFIG_MAPPING_NAMES")})


def model_mappings(ctx: CheckContext) -> dict[str, dict[str, list[str]]]:
    """Every `MODEL_*_MAPPING_NAMES` of modeling_auto.py: mapping -> model type -> class names."""

    def compute() -> dict[str, dict[str, list[str]]]:
        result: dict[str, dict[str, list[str]]] = {}
        if not ctx.exists(MODELING_AUTO):
            return result
        tree = ctx.source(MODELING_AUTO).tree
        names = [
            t.id
            for stmt in (tree.body if tree else [])
            if isinstance(stmt, ast.Assign)
            for t in stmt.targets
            if isinstance(t, ast.Name) and t.id.endswith("MAPPING_NAMES")
        ]
        for name in names:
            table: dict[str, list[str]] = {}
            for key, value, _ in string_pairs(tree, name):
                table.setdefault(key, []).append(value)
            result[name] = table
        return result

    return ctx.fact(MODELING_AUTO, "model_mappings", compute)


def mapped_classes(ctx: CheckContext, mapping: str) -> set[str]:
    return ctx.memo(
        f"mapped:{mapping}", lambda: {c for classes in model_mappings(ctx).get(mapping, {}).values() for c in classes}
    )


def module_for_type(ctx: CheckContext, model_type: str) -> str:
    special = ctx.fact(
        AUTO_MAPPINGS,
        "special_modules",
        lambda: {k: v for k, v, _ in _pairs(ctx, AUTO_MAPPINGS, "SPECIAL_MODEL_TYPE_TO_MODULE_NAME")},
    )
    return special.get(model_type, model_type.replace("-", "_"))


def model_configs(ctx: CheckContext, module: str) -> list[ConfigClass]:
    return [c for f in ctx.model_files(module, "configuration_") for c in config_classes(f)]


def primary_model_type(ctx: CheckContext, module: str) -> str | None:
    """The model type that names the package: the config whose type maps back to `module`."""
    types = [c.model_type for c in model_configs(ctx, module) if c.model_type]
    for model_type in types:
        if model_type.replace("-", "_") == module:
            return model_type
    return types[0] if types else None


def documented_config_args(ctx: CheckContext) -> set[str]:
    """Field names that `@auto_docstring` documents for configs (class `ConfigArgs`)."""

    def compute() -> list[str]:
        if not ctx.exists(AUTO_DOCSTRING):
            return []
        for cls in top_classes(ctx.source(AUTO_DOCSTRING).tree):
            if cls.name == "ConfigArgs":
                return sorted(
                    t.id
                    for stmt in cls.body
                    if isinstance(stmt, ast.Assign)
                    for t in stmt.targets
                    if isinstance(t, ast.Name)
                )
        return []

    return ctx.memo("config_args", lambda: set(ctx.fact(AUTO_DOCSTRING, "config_args", compute)))


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


_ALL = re.compile(r"^__all__\s*=\s*(\[[^\]]*\]|\([^)]*\))", re.MULTILINE)


def exported(source: SourceFile) -> tuple[list[str], int] | None:
    """`__all__` read textually (as upstream's lazy import structure does) and its line.

    Repository rules use this instead of a full parse: parsing every modeling file in the main
    process would cost seconds on a whole-tree run.
    """
    match = _ALL.search(source.text)
    if match is None:
        return None
    try:
        value = ast.literal_eval(match.group(1))
    except (ValueError, SyntaxError):
        return None
    names = [v for v in value if isinstance(v, str)]
    return names, source.text.count("\n", 0, match.start()) + 1


def first_changed(ctx: CheckContext, path: str) -> list[int]:
    """Changed line numbers of `path`, non-blank first (a finding should point at code)."""
    source = ctx.source(path)
    lines = sorted(ctx.changed_lines(path) or {1})
    return [n for n in lines if source.line(n).strip()] or lines
