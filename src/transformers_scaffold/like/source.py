"""The source model of `--like`, read statically from the fork (never imported).

Everything `--like` needs to know about the model it copies: its names in every casing, the files
that make it up, its public classes and the auto mappings that register them, its tokenizer, its
config class's field defaults. All of it comes from parsing the fork's own text with `ast`, so a
fork whose `transformers` does not import (or is a different version from the installed one)
still works, and a scan of 500+ models stays cheap.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from transformers_scaffold.errors import UserError

Reader = Callable[[Path], "str | None"]

MODELS = PurePosixPath("src/transformers/models")
AUTO = MODELS / "auto"
# Files of a model package that `--like` copies; the tokenizer is reused, converters are one-off
# scripts, and a modular file is the source of generated files, not a module of its own.
COPIED_PREFIXES = ("configuration_", "modeling_")
_VERSION = re.compile(r"""^__version__\s*=\s*["']([^"']+)["']""", re.MULTILINE)


def _literal(node: ast.expr) -> object:
    if isinstance(node, ast.IfExp):
        # `"XTokenizer" if is_tokenizers_available() else None`: the class; an optional package's
        # class (`"MistralCommonBackend" if is_mistral_common_available() else ...`): the fallback.
        if "is_tokenizers_available" in ast.unparse(node.test):
            return _literal(node.body)
        fallback = _literal(node.orelse)
        return fallback if fallback is not None else _literal(node.body)
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def _pairs_in(node: ast.expr) -> list[tuple[str, object]]:
    """(key, value) pairs of a mapping literal: `OrderedDict([(k, v), ...])`, `{k: v}`, `dict(...)`."""
    pairs: list[tuple[str, object]] = []
    if isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values, strict=False):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                pairs.append((key.value, _literal(value)))
        return pairs
    if isinstance(node, ast.Call):
        for arg in node.args:
            if isinstance(arg, (ast.List, ast.Tuple)):
                for elt in arg.elts:
                    if isinstance(elt, ast.Tuple) and len(elt.elts) == 2 and isinstance(elt.elts[0], ast.Constant):
                        pairs.append((str(elt.elts[0].value), _literal(elt.elts[1])))
            else:
                pairs += _pairs_in(arg)
        for kw in node.keywords:  # OrderedDict(**{"gpt-sw3": ...}, **NAMES)
            pairs += _pairs_in(kw.value)
    return pairs


def static_mapping(texts: list[str], name: str) -> dict[str, object]:
    """Every entry of the module-level mapping `name` across `texts`: its assignments and `.update()`s."""
    mapping: dict[str, object] = {}
    for text in texts:
        for node in ast.parse(text).body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                    mapping.update(_pairs_in(node.value))
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                func = node.value.func
                if (
                    isinstance(func, ast.Attribute)
                    and func.attr == "update"
                    and isinstance(func.value, ast.Name)
                    and func.value.id == name
                ):
                    for arg in node.value.args:
                        mapping.update(_pairs_in(arg))
    return mapping


def dunder_all(text: str) -> list[str]:
    """The names in a module's `__all__` (string literals only)."""
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            value = _literal(node.value)
            if isinstance(value, (list, tuple)):
                return [str(v) for v in value]
    return []


def fork_version(read: Reader) -> str:
    text = read(Path("src/transformers/__init__.py")) or ""
    match = _VERSION.search(text)
    if not match:
        raise UserError(
            "cannot find __version__ in src/transformers/__init__.py; pass --repo PATH to a Transformers fork"
        )
    return match[1]


@dataclass(frozen=True)
class SourceModel:
    """One existing model of the fork, as `--like` sees it."""

    model_type: str  # "xlm-roberta"
    module: str  # "xlm_roberta"
    camel: str  # "XLMRoberta", from the config class name
    upper: str  # "XLM_ROBERTA"
    config_class: str  # "XLMRobertaConfig"
    files: tuple[str, ...]  # copied files of the model package, by name ("configuration_x.py", ...)
    config_text: str
    modeling_text: str
    init_text: str
    model_all: tuple[str, ...]  # modeling __all__
    config_all: tuple[str, ...]
    registrations: dict[str, tuple[str, ...]]  # class -> MODEL_*_MAPPING_NAMES registering it for this type
    tokenizer_classes: tuple[str, ...]  # the source's own tokenizer classes (kept, never renamed)


def _config_mapping(read: Reader) -> tuple[dict[str, object], dict[str, object]]:
    # 5.2x generates the mapping into auto_mappings.py and configuration_auto.py extends it;
    # older 5.x trees keep everything in configuration_auto.py.
    texts = [t for t in (read(Path(AUTO / "auto_mappings.py")), read(Path(AUTO / "configuration_auto.py"))) if t]
    if not texts:
        raise UserError(
            "the fork has no src/transformers/models/auto/configuration_auto.py; pass --repo PATH to a fork"
        )
    configs = static_mapping(texts, "CONFIG_MAPPING_NAMES")
    special = static_mapping(texts, "SPECIAL_MODEL_TYPE_TO_MODULE_NAME")
    return configs, special


def unknown_source(source: str, known: list[str]) -> UserError:
    close = difflib.get_close_matches(source, known, n=3, cutoff=0.6)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    return UserError(
        f"--like {source!r} is not a model type of this fork; {hint}pass a key of CONFIG_MAPPING_NAMES such as llama"
    )


def _camel_of(config_class: str, model_type: str) -> str:
    if not config_class.endswith("Config") or len(config_class) == len("Config"):
        raise UserError(
            f"--like {model_type}: its config class {config_class} does not end in 'Config'; pick another model type"
        )
    return config_class[: -len("Config")]


def _tokenizers(read: Reader, module_dir: PurePosixPath, model_type: str, listing: list[str]) -> tuple[str, ...]:
    names: set[str] = set()
    text = read(Path(AUTO / "tokenization_auto.py")) or ""
    value = static_mapping([text], "TOKENIZER_MAPPING_NAMES").get(model_type) if text else None
    for item in value if isinstance(value, (list, tuple)) else [value]:
        if isinstance(item, str):
            names.add(item)
    for name in listing:
        if name.startswith("tokenization_") and name.endswith(".py"):
            names.update(dunder_all(read(Path(module_dir / name)) or ""))
    return tuple(sorted(names))


def _registrations(read: Reader, model_type: str) -> dict[str, tuple[str, ...]]:
    text = read(Path(AUTO / "modeling_auto.py")) or ""
    found: dict[str, list[str]] = {}
    for node in ast.parse(text).body:
        if not isinstance(node, (ast.Assign, ast.AnnAssign)) or node.value is None:
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = [t.id for t in targets if isinstance(t, ast.Name) and t.id.endswith("_MAPPING_NAMES")]
        if not names:
            continue
        for key, value in _pairs_in(node.value):
            if key != model_type:
                continue
            for cls in value if isinstance(value, (list, tuple)) else [value]:
                if isinstance(cls, str):
                    found.setdefault(cls, []).append(names[0])
    return {cls: tuple(maps) for cls, maps in found.items()}


def load_source(repo_root: Path, source: str, read: Reader) -> SourceModel:
    """Resolve `source` (a model type of the fork) and read what `--like` needs; `UserError` if unusable."""
    configs, special = _config_mapping(read)
    if source not in configs:
        raise unknown_source(source, sorted(configs))
    config_class = configs[source]
    if not isinstance(config_class, str):
        raise UserError(f"--like {source}: CONFIG_MAPPING_NAMES has no class name for it; pick another model type")
    module = str(special.get(source, source.replace("-", "_")))
    main = [t for t in configs if t != source and t not in special and t.replace("-", "_") == module]
    if main:  # `clip_text_model` lives in models/clip: copying the package means copying `clip`
        raise UserError(f"--like {source} is a sub-model of {main[0]} (models/{module}); pass --like {main[0]}")
    module_dir = MODELS / module
    root = Path(repo_root) / module_dir
    listing = sorted(p.name for p in root.iterdir() if p.is_file()) if root.is_dir() else []
    config_name, modeling_name = f"configuration_{module}.py", f"modeling_{module}.py"
    if config_name not in listing or modeling_name not in listing:
        raise UserError(
            f"--like {source}: src/transformers/models/{module}/ has no {config_name} and {modeling_name}; "
            "pick a model type that ships its own configuration and modeling files"
        )
    config_text = read(Path(module_dir / config_name)) or ""
    if not re.search(rf"^class {re.escape(config_class)}\b", config_text, re.MULTILINE):
        raise UserError(
            f"--like {source}: {config_class} is not defined in {config_name} (it belongs to another model); "
            "pick the model type that defines it"
        )
    camel = _camel_of(config_class, source)
    files = tuple(n for n in listing if n.endswith(".py") and n.startswith(COPIED_PREFIXES))
    modeling_text = read(Path(module_dir / modeling_name)) or ""
    return SourceModel(
        model_type=source,
        module=module,
        camel=camel,
        upper=module.upper(),
        config_class=config_class,
        files=files,
        config_text=config_text,
        modeling_text=modeling_text,
        init_text=read(Path(module_dir / "__init__.py")) or "",
        model_all=tuple(dunder_all(modeling_text)),
        config_all=tuple(dunder_all(config_text)),
        registrations=_registrations(read, source),
        tokenizer_classes=_tokenizers(read, module_dir, source, listing),
    )


def source_test_files(repo_root: Path, module: str) -> list[str]:
    """Repo-relative paths of the source's model tests that `--like` copies (no tokenizer tests)."""
    tests = Path(repo_root) / "tests" / "models" / module
    if not tests.is_dir():
        return []
    keep = re.compile(rf"^test_(modeling|configuration)_{re.escape(module)}\.py$")
    return [f"tests/models/{module}/{p.name}" for p in sorted(tests.iterdir()) if keep.match(p.name)]
