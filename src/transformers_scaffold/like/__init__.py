"""`scaffold new-model NAME --like SOURCE_TYPE`: plan a new model from an existing one.

`plan_like` is pure: it reads the fork (statically, through `read` and directory listings) and
returns what the pipeline should write; it never writes. Two paths, chosen by the fork:

- with `utils/modular_model_converter.py`: `modular_<name>.py` (one subclass per public class of
  the source) and `__init__.py`; the pipeline writes them and calls `run_modular_converter`.
- without it: the source's configuration/modeling files renamed in every casing (`like.rename`).

Either way the source's model tests are copied and renamed when the fork has them; otherwise
`render_tests` asks the pipeline to render the generic test template with `spec.tiny_config`.
The tokenizer is reused, never copied: references to the source tokenizer classes stay.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from transformers_scaffold.errors import UserError
from transformers_scaffold.facts import Entry, ForkFacts, Version
from transformers_scaffold.like.copy import init_file, renamed_files, renamed_tests
from transformers_scaffold.like.modular import CONVERTER, render_modular, run_modular_converter
from transformers_scaffold.like.rename import Casings, Renamer
from transformers_scaffold.like.shrink import tiny_kwargs
from transformers_scaffold.like.source import COPIED_PREFIXES, MODELS, SourceModel, load_source
from transformers_scaffold.like.spec import build_spec, resolve_tokenizer
from transformers_scaffold.like.tiny_dynamic import dynamic_tiny, fork_python
from transformers_scaffold.names import ModelNames
from transformers_scaffold.spec import ModelSpec
from transformers_scaffold.support import require_supported

__all__ = ["LikePlan", "plan_like", "run_modular_converter"]


@dataclass(frozen=True)
class LikePlan:
    spec: ModelSpec
    files: dict[str, str] = field(default_factory=dict)  # repo-relative posix path -> text, all new
    render_tests: bool = True  # the fork has no tests of the source: render the generic test template
    modular: bool = False  # files hold modular_<name>.py: run `run_modular_converter` after writing
    model_type: str = ""  # the new model type to register: the name's, or a sub-model's renamed type


def _other_names(facts: ForkFacts, src: SourceModel) -> frozenset[str]:
    """Names of the fork's other models (every casing), so `XLMRobertaXL` is not taken for `XLMRoberta`."""
    names: set[str] = set()
    for model_type, config in facts.config_mapping.items():
        module = facts.module_of(model_type)
        if module == src.module or f"class {config}(" in src.config_text:
            continue  # the source's own sub-configs are renamed along with it
        names.update({model_type, module, module.upper(), config.removesuffix("Config")})
    return frozenset(names)


def _kept_tokenizers(src: SourceModel, texts: list[str]) -> frozenset[str]:
    pattern = re.compile(rf"\b{re.escape(src.camel)}Tokenizer\w*")
    found = {m.group(0) for text in texts for m in pattern.finditer(text)}
    return frozenset(found | set(src.tokenizer_classes))


def sub_model_type(model_type: str, config_class: str, camel: str, renamer: Renamer, new_type: str) -> str:
    """The renamed type of a sub-model: `gemma3_text` -> `acme_text`. Where the sub-model's type
    does not spell its package's (`step3p5` in models/step3p7), the suffix comes from its config class
    (`Step3p7TextConfig` -> `acme_text`), so the new type never keeps a name the fork already has."""
    renamed = renamer.text(model_type)
    if renamed != model_type:
        return renamed
    rest = config_class.removeprefix(camel).removesuffix("Config")
    suffix = re.sub(r"(?<!^)(?=[A-Z])", "_", rest).lower().strip("_")
    return f"{new_type}_{suffix}" if suffix else f"{new_type}_{model_type.replace('-', '_')}"


def _sibling_models(
    facts: ForkFacts, siblings: dict[str, str], renamer: Renamer, model_texts: list[str]
) -> tuple[tuple[str, str, str], ...]:
    """(mapping, renamed type, renamed class) of the siblings' own registrations of copied classes."""
    found = []
    for old_type, new_type in siblings.items():
        for cls, mappings in facts.registrations_of(old_type).items():
            new_cls = renamer.identifier(cls)
            if new_cls != cls and any(f"class {cls}(" in t for t in model_texts):
                found += [(mapping, new_type, new_cls) for mapping in mappings]
    # One class per mapping and type (the registry's rule): the first the source registers.
    first = {(m, t): (m, t, c) for m, t, c in reversed(found)}
    return tuple(e for e in dict.fromkeys(found) if first[(e[0], e[1])] == e)


def _sibling_configs(
    facts: ForkFacts, src: SourceModel, renamer: Renamer, names: ModelNames, own_type: str
) -> dict[str, tuple[str, str]]:
    """source type -> (renamed type, renamed config class) of every other type whose config the copied files define."""
    copied = [f for f in src.files if f.startswith("configuration_")]
    texts = [facts.read(str(MODELS / src.module / f)) or "" for f in copied]
    found: dict[str, tuple[str, str]] = {}
    for model_type in facts.types_of_module(src.module):
        config_class = facts.config_mapping[model_type]
        if model_type == src.model_type or not any(f"class {config_class}(" in t for t in texts):
            continue
        if model_type == src.package_type:
            new_type = names.model_type if own_type != names.model_type else ""
        else:
            new_type = sub_model_type(model_type, config_class, src.camel, renamer, names.model_type)
        new_class = renamer.identifier(config_class)
        if new_type and new_type != own_type and new_class != config_class:
            found[model_type] = (new_type, new_class)
    return found


def plan_like(
    facts: ForkFacts, source: str, names: ModelNames, tokenizer: Entry | None, in_process: bool = False
) -> LikePlan:
    """Plan `--like source` for the new model `names`; `tokenizer` is another model type's entry.

    Raises `UserError` for an unknown or unusable source, or an unsupported fork version.
    """
    if not source or not source.strip():
        raise UserError("--like needs a model type; pass one such as --like llama")
    version = Version.parse(facts.version_raw or "")
    if version is None:
        raise UserError(
            "cannot find __version__ in src/transformers/__init__.py; pass --repo PATH to a Transformers fork"
        )
    require_supported("like", version)
    src = load_source(facts, source)
    repo_root = facts.root
    read = facts.read
    modular = facts.has(CONVERTER.as_posix())
    test_files = sorted((repo_root / "tests/models" / src.module).glob("test_*.py"))
    test_texts = [read(p.relative_to(repo_root)) or "" for p in test_files]
    renamer = Renamer(
        old=Casings(src.package_type, src.stem, src.camel, src.upper),
        new=Casings(names.model_type, names.module, names.camel, names.upper),
        keep=_kept_tokenizers(src, [src.config_text, src.modeling_text, *test_texts]),
        copied_modules=frozenset(n.removesuffix(".py") for n in src.files),
        other_names=_other_names(facts, src),
    )
    if in_process:  # the caller (benchmarks/like_sweep.py) has the fork's transformers importable here
        try:
            tiny: dict | None = tiny_kwargs(src.model_type)
        except Exception:
            tiny = None
    else:
        tiny, _why = dynamic_tiny(repo_root, src.model_type, fork_python())
    spec = build_spec(src, renamer, resolve_tokenizer(src, tokenizer), modular, facts.pipeline_test_tasks, tiny)

    if modular:
        new_dir = MODELS / names.module
        stems = {f"{prefix}{names.module}" for prefix in COPIED_PREFIXES}
        files = {
            str(new_dir / f"modular_{names.module}.py"): render_modular(names, spec),
            str(new_dir / "__init__.py"): init_file(src, renamer, stems),
        }
    else:
        files = renamed_files(src, renamer, names.module, read)
    tests = renamed_tests(repo_root, src, renamer, names.module, read)
    files.update(tests)
    has_model_tests = any(p.startswith(f"tests/models/{names.module}/test_modeling_") for p in tests)
    # A sub-model source registers under its own type, renamed (`gemma3_text` -> `acme_text`), in models/acme.
    model_type = (
        sub_model_type(src.model_type, src.config_class, src.camel, renamer, names.model_type)
        if src.model_type != src.package_type
        else names.model_type
    )
    siblings = _sibling_configs(facts, src, renamer, names, model_type)
    model_texts = [read(str(MODELS / src.module / f)) or "" for f in src.files if f.startswith("modeling_")]
    spec = dataclasses.replace(
        spec,
        sibling_configs=tuple(dict.fromkeys(siblings.values())),
        sibling_models=_sibling_models(facts, {k: v[0] for k, v in siblings.items()}, renamer, model_texts),
    )
    return LikePlan(spec=spec, files=files, render_tests=not has_model_tests, modular=modular, model_type=model_type)
