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

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from transformers_scaffold.errors import UserError
from transformers_scaffold.fork import Version
from transformers_scaffold.like.copy import init_file, renamed_files, renamed_tests
from transformers_scaffold.like.modular import CONVERTER, render_modular, run_modular_converter
from transformers_scaffold.like.rename import Casings, Renamer
from transformers_scaffold.like.source import (
    AUTO,
    COPIED_PREFIXES,
    MODELS,
    SourceModel,
    fork_version,
    load_source,
    static_mapping,
)
from transformers_scaffold.like.spec import build_spec, resolve_tokenizer_class
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


def _other_names(read: Callable[[Path], str | None], src: SourceModel) -> frozenset[str]:
    """Names of the fork's other models (every casing), so `XLMRobertaXL` is not taken for `XLMRoberta`."""
    texts = [t for t in (read(Path(AUTO / "auto_mappings.py")), read(Path(AUTO / "configuration_auto.py"))) if t]
    configs = static_mapping(texts, "CONFIG_MAPPING_NAMES")
    special = static_mapping(texts, "SPECIAL_MODEL_TYPE_TO_MODULE_NAME")
    names: set[str] = set()
    for model_type, config in configs.items():
        module = str(special.get(model_type, model_type.replace("-", "_")))
        if module == src.module or not isinstance(config, str) or f"class {config}(" in src.config_text:
            continue  # the source's own sub-configs are renamed along with it
        names.update({model_type, module, module.upper(), config.removesuffix("Config")})
    return frozenset(names)


def _kept_tokenizers(src: SourceModel, texts: list[str]) -> frozenset[str]:
    pattern = re.compile(rf"\b{re.escape(src.camel)}Tokenizer\w*")
    found = {m.group(0) for text in texts for m in pattern.finditer(text)}
    return frozenset(found | set(src.tokenizer_classes))


def plan_like(
    repo_root: Path,
    source: str,
    names: ModelNames,
    tokenizer: str | None,
    read: Callable[[Path], str | None],
) -> LikePlan:
    """Plan `--like source` for the new model `names`; `tokenizer` is a class name or a model type.

    Raises `UserError` for an unknown or unusable source, or an unsupported fork version.
    """
    if not source or not source.strip():
        raise UserError("--like needs a model type; pass one such as --like llama")
    repo_root = Path(repo_root)
    require_supported("like", Version.parse(fork_version(read)))
    src = load_source(repo_root, source, read)
    modular = (repo_root / CONVERTER).is_file()
    test_files = sorted((repo_root / "tests/models" / src.module).glob("test_*.py"))
    test_texts = [read(p.relative_to(repo_root)) or "" for p in test_files]
    renamer = Renamer(
        old=Casings(src.model_type, src.module, src.camel, src.upper),
        new=Casings(names.model_type, names.module, names.camel, names.upper),
        keep=_kept_tokenizers(src, [src.config_text, src.modeling_text, *test_texts]),
        copied_modules=frozenset(n.removesuffix(".py") for n in src.files),
        other_names=_other_names(read, src),
    )
    tokenizer_text = read(Path(AUTO / "tokenization_auto.py")) or ""
    tokenizer_mapping = static_mapping([tokenizer_text], "TOKENIZER_MAPPING_NAMES") if tokenizer_text else {}
    tokenizer_class = resolve_tokenizer_class(src, tokenizer, tokenizer_mapping)
    spec = build_spec(src, renamer, tokenizer_class, modular)

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
    return LikePlan(spec=spec, files=files, render_tests=not has_model_tests, modular=modular)
