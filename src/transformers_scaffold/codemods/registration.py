"""Every edit to existing files that registers a new model, computed in memory.

`plan_registration` reads each file through the caller's `read` and returns `{path: new_text}`
for the files that change; it writes nothing (the pipeline writes all files atomically later).
Each file is parsed once and all of its edits are applied in one pass.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

from transformers_scaffold.codemods.mappings import MappingEntry, PyExpr, apply_mapping_entries, read_mapping_keys
from transformers_scaffold.codemods.toctree import DEFAULT_SECTION, TOCTREE_PATH, AddToctreeEntry, section_of
from transformers_scaffold.codemods.type_checking import add_type_checking_import
from transformers_scaffold.codemods.windows import ast_mapping_list
from transformers_scaffold.errors import UserError
from transformers_scaffold.names import ModelNames
from transformers_scaffold.spec import ModelSpec

AUTO_DIR = Path("src/transformers/models/auto")
MODELING_AUTO = AUTO_DIR / "modeling_auto.py"
TOKENIZATION_AUTO = AUTO_DIR / "tokenization_auto.py"
# 5.24 generates the config mapping into auto_mappings.py; older v5 trees keep it in configuration_auto.py.
CONFIG_CANDIDATES = (AUTO_DIR / "auto_mappings.py", AUTO_DIR / "configuration_auto.py")
MODELS_INIT = Path("src/transformers/models/__init__.py")
TOCTREE = Path(TOCTREE_PATH)

Reader = Callable[[Path], "str | None"]


def _required(read: Reader, root: Path, rel: Path) -> str:
    text = read(root / rel)
    if text is None:
        raise UserError(f"{rel.as_posix()} not found; --repo must point at a Transformers v5 fork")
    return text


def _defines(text: str, mapping: str) -> bool:
    """Whether `text` assigns `mapping` a list of pairs at top level (not `OrderedDict(**...)` re-binds)."""
    try:
        return ast_mapping_list(ast.parse(text), mapping) is not None
    except SyntaxError:
        return False


def _config_file(read: Reader, root: Path) -> tuple[Path, str]:
    for rel in CONFIG_CANDIDATES:
        text = read(root / rel)
        if text is not None and _defines(text, "CONFIG_MAPPING_NAMES"):
            return rel, text
    shown = " or ".join(p.as_posix() for p in CONFIG_CANDIDATES)
    raise UserError(f"no CONFIG_MAPPING_NAMES mapping in {shown}; --repo must point at a Transformers v5 fork")


def tokenizer_value(tokenization_text: str, tokenizer_class: str) -> str | PyExpr:
    """How the mapping spells `tokenizer_class`: reuse an existing entry's guard, e.g.

    `"LlamaTokenizer" if is_tokenizers_available() else None`, so the new model behaves like the
    models it shares the tokenizer with; a plain string when no entry uses that class yet.
    """
    for _, source in read_mapping_keys(tokenization_text, "TOKENIZER_MAPPING_NAMES"):
        node = ast.parse(f"({source})", mode="eval").body  # parenthesized: values may span lines
        body = node.body if isinstance(node, ast.IfExp) else node
        if isinstance(body, ast.Constant) and body.value == tokenizer_class:
            return PyExpr(source) if isinstance(node, ast.IfExp) else tokenizer_class
    return tokenizer_class


def plan_registration(
    repo_root: Path,
    names: ModelNames,
    spec: ModelSpec,
    read: Reader,
    toctree_section: str | None = None,
) -> dict[Path, str]:
    """`{repo_root / rel: new_text}` for every existing file the registration changes (or creates: the toctree).

    Raises `UserError` (nothing is written by anyone) when a file lacks the expected structure or an
    entry conflicts with one already there. Running it on already-registered files returns `{}`.
    """
    root = Path(repo_root)
    out: dict[Path, str] = {}

    def keep(rel: Path, old: str | None, new: str) -> None:
        if new != old:
            out[root / rel] = new

    config_rel, config_text = _config_file(read, root)
    config_entries = [MappingEntry("CONFIG_MAPPING_NAMES", names.model_type, spec.config_class)]
    if names.model_type != names.module:  # `my-model` lives in models/my_model
        config_entries.append(MappingEntry("SPECIAL_MODEL_TYPE_TO_MODULE_NAME", names.model_type, names.module))
    keep(config_rel, config_text, apply_mapping_entries(config_text, config_entries, config_rel.as_posix()))

    modeling_text = _required(read, root, MODELING_AUTO)
    modeling_entries = [MappingEntry(mapping, names.model_type, cls) for mapping, cls in spec.registrations()]
    keep(
        MODELING_AUTO, modeling_text, apply_mapping_entries(modeling_text, modeling_entries, MODELING_AUTO.as_posix())
    )

    if spec.tokenizer_class:
        tok_text = _required(read, root, TOKENIZATION_AUTO)
        entry = MappingEntry(
            "TOKENIZER_MAPPING_NAMES", names.model_type, tokenizer_value(tok_text, spec.tokenizer_class)
        )
        keep(TOKENIZATION_AUTO, tok_text, apply_mapping_entries(tok_text, [entry], TOKENIZATION_AUTO.as_posix()))

    init_text = _required(read, root, MODELS_INIT)
    keep(MODELS_INIT, init_text, add_type_checking_import(init_text, names.module, MODELS_INIT.as_posix()))

    toc_text = read(root / TOCTREE)
    section = toctree_section
    if section is None and spec.source_model_type:  # `--like`: the source model's modality
        section = section_of(toc_text, f"model_doc/{spec.source_model_type}")
    toc = AddToctreeEntry(
        local=f"model_doc/{names.model_type}", title=names.title, section=section or DEFAULT_SECTION
    ).transform(toc_text)
    keep(TOCTREE, toc_text, toc)
    return out
