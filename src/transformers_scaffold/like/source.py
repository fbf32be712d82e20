"""The source model of `--like`, read statically from the fork (never imported).

Everything `--like` needs to know about the model it copies: its names in every casing, the files
that make it up, its public classes and the auto mappings that register them, its tokenizer, its
config class's field defaults. The fork's facts (mappings, `__all__`s, tokenizer entries) come from
the fork-facts layer; nothing here parses an auto file. A fork whose `transformers` does not
import (or is a different version from the installed one) still works.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from transformers_scaffold.errors import UserError
from transformers_scaffold.facts import Entry, ForkFacts, layout

Reader = Callable[[Path], "str | None"]

MODELS = PurePosixPath(layout.MODELS_DIR)
# Files of a model package that `--like` copies; the tokenizer is reused, converters are one-off
# scripts, and a modular file is the source of generated files, not a module of its own.
COPIED_PREFIXES = ("configuration_", "modeling_")


@dataclass(frozen=True)
class SourceModel:
    """One existing model of the fork, as `--like` sees it."""

    model_type: str  # "xlm-roberta"; a sub-model's own type ("gemma3_text")
    package_type: str  # the model type its package is named after ("gemma3" for "gemma3_text")
    module: str  # "xlm_roberta": the package directory
    stem: str  # the file stem renamed after the new model: the module, or "data2vec_audio" in models/data2vec
    camel: str  # "XLMRoberta", from the config class name
    upper: str  # "XLM_ROBERTA"
    config_class: str  # "XLMRobertaConfig"
    modeling_name: str  # "modeling_xlm_roberta.py": the modeling file next to the file defining the config
    files: tuple[str, ...]  # copied files of the model package, by name ("configuration_x.py", ...)
    config_text: str
    modeling_text: str
    init_text: str
    model_all: tuple[str, ...]  # modeling __all__
    registrations: dict[str, tuple[str, ...]]  # class -> MODEL_*_MAPPING_NAMES registering it for this type
    tokenizer_classes: tuple[str, ...]  # the source's own tokenizer classes (kept, never renamed)
    tokenizer_entry: Entry | None  # its TOKENIZER_MAPPING_NAMES entry, when it has one


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


def _tokenizers(facts: ForkFacts, module_dir: PurePosixPath, model_type: str, listing: list[str]) -> tuple[str, ...]:
    entry = facts.tokenizer_mapping.get(model_type)
    names: set[str] = set(entry.classes) if entry else set()
    for name in listing:
        if name.startswith("tokenization_") and name.endswith(".py"):
            exported = facts.exports(str(module_dir / name))
            names.update(exported[0] if exported else ())
    return tuple(sorted(names))


# Sibling modules that stay with the source model (reused, not copied): imports of them keep pointing there.
REUSED_PREFIXES = ("tokenization_", "convert_", "modular_")


def _relative_imports(text: str) -> set[str]:
    """`X` of every `from .X import ...` (a sibling module of the same package) in `text`."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            found.add(node.module.split(".")[0])
    return found


def sibling_closure(
    seed: list[str], listing: list[str], module_dir: PurePosixPath, read: Callable[[str], str | None]
) -> tuple[str, ...]:
    """`seed` plus every sibling module they import, transitively (`modeling_whisper` -> `generation_whisper`).

    A copied file that imports `.generation_whisper` needs its own renamed `generation_<new>`; a
    sibling that is reused (`tokenization_*`) keeps its import pointing at the source model instead.
    """
    files = list(dict.fromkeys(seed))
    queue = list(files)
    while queue:
        text = read(str(module_dir / queue.pop())) or ""
        for module in sorted(_relative_imports(text)):
            name = f"{module}.py"
            if name in listing and name not in files and not name.startswith(REUSED_PREFIXES):
                files.append(name)
                queue.append(name)
    return tuple(sorted(files))


def _defines(text: str, name: str) -> bool:
    return re.search(rf"^class {re.escape(name)}\b", text, re.MULTILINE) is not None


def _defining_config_file(
    facts: ForkFacts, module_dir: PurePosixPath, listing: list[str], module: str, config_class: str
) -> str | None:
    """The `configuration_*.py` of the package that defines `config_class` (its own name's first)."""
    names = [n for n in listing if n.startswith("configuration_") and n.endswith(".py")]
    names.sort(key=lambda n: n != f"configuration_{module}.py")
    return next((n for n in names if _defines(facts.read(str(module_dir / n)) or "", config_class)), None)


def _alias_of(facts: ForkFacts, source: str, config_class: str) -> str | None:
    """The model type whose package defines `config_class`, for a source that reuses it (`gpt-sw3`)."""
    for other, cls in facts.config_mapping.items():
        if other == source or cls != config_class:
            continue
        other_dir = MODELS / facts.module_of(other)
        if _defines(facts.read(str(other_dir / f"configuration_{facts.module_of(other)}.py")) or "", config_class):
            return other
    return None


def _with_tokenizer_of(
    src: SourceModel, facts: ForkFacts, alias: str, module_dir: PurePosixPath, listing: list[str]
) -> SourceModel:
    entry = facts.tokenizer_mapping.get(alias)
    if entry is None or not entry.classes:
        return src
    return replace(src, tokenizer_entry=entry, tokenizer_classes=_tokenizers(facts, module_dir, alias, listing))


def _reused_model(facts: ForkFacts, source: str) -> tuple[str, str] | None:
    """(class, model type) of the base model a config-only type registers from another package."""
    base = facts.model_mappings.get("MODEL_MAPPING_NAMES", {}).get(source, [])
    for cls in base:
        for other, classes in facts.model_mappings["MODEL_MAPPING_NAMES"].items():
            module = facts.module_of(other)
            if other == source or cls not in classes or module == facts.module_of(source):
                continue
            if _defines(facts.read(str(MODELS / module / f"modeling_{module}.py")) or "", cls):
                return cls, other  # the type whose package defines it (`llama`, not `internlm3`)
    return None


def load_source(facts: ForkFacts, source: str) -> SourceModel:
    """Resolve `source` (a model type of the fork) and read what `--like` needs; `UserError` if unusable."""
    configs, special = facts.config_mapping, facts.special_module_names
    if not configs:
        raise UserError(
            "the fork has no CONFIG_MAPPING_NAMES in models/auto/; pass --repo PATH to a Transformers fork"
        )
    if source not in configs:
        raise unknown_source(source, sorted(configs))
    config_class = configs[source]
    module = facts.module_of(source)
    main = [t for t in configs if t != source and t not in special and t.replace("-", "_") == module]
    # A sub-model (`gemma3_text`, `clip_text_model`) lives in its main model's package: the package
    # is copied and renamed after the main model, and only the sub-model's classes are registered.
    package_type = main[0] if main else source
    package_config = configs.get(package_type) if main else config_class
    if not isinstance(package_config, str):
        raise UserError(
            f"--like {source}: CONFIG_MAPPING_NAMES has no class for {package_type}; pick another model type"
        )
    module_dir = MODELS / module
    root = facts.root / module_dir
    listing = sorted(p.name for p in root.iterdir() if p.is_file()) if root.is_dir() else []
    config_name = _defining_config_file(facts, module_dir, listing, module, config_class)
    if config_name is None:
        alias = _alias_of(facts, source, config_class)
        if alias is not None:  # `gpt-sw3` -> GPT2Config of gpt2: the model it reuses, with the alias's tokenizer
            return _with_tokenizer_of(load_source(facts, alias), facts, source, module_dir, listing)
        raise UserError(
            f"--like {source}: no configuration_*.py of src/transformers/models/{module}/ defines {config_class} "
            "(it belongs to another model); pick the model type that defines it"
        )
    stem = config_name.removeprefix("configuration_").removesuffix(".py")
    modeling_name = next((n for n in (f"modeling_{stem}.py", f"modeling_{module}.py") if n in listing), None)
    if modeling_name is None:
        reused = _reused_model(facts, source)
        hint = f"its AutoModel is {reused[0]} of {reused[1]}: pass --like {reused[1]}" if reused else "pick another"
        raise UserError(
            f"--like {source}: src/transformers/models/{module}/ has no modeling code of its own "
            f"({config_name} but no modeling_{stem}.py); {hint}"
        )
    config_text = facts.read(str(module_dir / config_name)) or ""
    # A package of several standalone models (`data2vec`: configuration_data2vec_{audio,text,vision}.py)
    # with no main model type: only the source's own files are copied, renamed after their stem.
    own_files = not main and stem != module
    seed = [
        n
        for n in listing
        if n.endswith(".py") and n.startswith(COPIED_PREFIXES) and (not own_files or n in (config_name, modeling_name))
    ]
    camel = _camel_of(package_config, package_type)
    files = sibling_closure(seed, listing, module_dir, facts.read)
    modeling_rel = str(module_dir / modeling_name)
    exported = facts.exports(modeling_rel)
    entry = facts.tokenizer_mapping.get(source)
    return SourceModel(
        model_type=source,
        package_type=package_type,
        module=module,
        stem=stem if own_files else module,
        camel=camel,
        upper=(stem if own_files else module).upper(),
        config_class=config_class,
        modeling_name=modeling_name,
        files=files,
        config_text=config_text,
        modeling_text=facts.read(modeling_rel) or "",
        init_text=facts.read(str(module_dir / "__init__.py")) or "",
        model_all=tuple(exported[0]) if exported else (),
        registrations=facts.registrations_of(source),
        tokenizer_classes=_tokenizers(facts, module_dir, source, listing),
        tokenizer_entry=entry if entry is not None and entry.classes else None,
    )


def source_test_files(repo_root: Path, module: str) -> list[str]:
    """Repo-relative paths of the source's model tests that `--like` copies (no tokenizer tests)."""
    tests = Path(repo_root) / layout.TESTS_MODELS_DIR / module
    if not tests.is_dir():
        return []
    keep = re.compile(rf"^test_(modeling|configuration)_{re.escape(module)}\.py$")
    return [f"tests/models/{module}/{p.name}" for p in sorted(tests.iterdir()) if keep.match(p.name)]
