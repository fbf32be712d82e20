from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from transformers_scaffold.checker.api import Edit, FileRule, Finding
from transformers_scaffold.checker.astutil import (
    defined_names,
)
from transformers_scaffold.checker.cache import file_stamp
from transformers_scaffold.checker.context import SourceFile
from transformers_scaffold.checker.repo import exported
from transformers_scaffold.checker.textmodel import TextClass, pretrained_family
from transformers_scaffold.facts import ForkFacts, layout

PUBLIC_FILES = (
    "src/transformers/models/*/configuration_*.py",
    "src/transformers/models/*/modeling_*.py",
    "src/transformers/models/*/tokenization_*.py",
    "src/transformers/models/*/processing_*.py",
    "src/transformers/models/*/image_processing_*.py",
    "src/transformers/models/*/feature_extraction_*.py",
)
REQUIRED = ("configuration_", "modeling_")


def render_all(names: list[str]) -> str:
    one = "__all__ = [" + ", ".join(f'"{n}"' for n in names) + "]\n"
    if len(one) <= 119:
        return one
    return "__all__ = [\n" + "".join(f'    "{n}",\n' for n in names) + "]\n"


_DEFINED = re.compile(r"^(?:(?:async\s+)?def|class)\s+(\w+)|^(\w+)\s*(?::[^=\n]+)?=", re.MULTILINE)
_CONFIG_BASES = ("Config", "PreTrainedConfig", "PretrainedConfig")


def _public_models(classes: list[TextClass]) -> list[str]:
    """PreTrainedModel subclasses that are public API: named after the model's root
    `<Prefix>PreTrainedModel` and ending in `Model` or naming a head (`...For...`). Internal
    stacks (`T5Stack`, `BartEncoder`) and borrowed sub-models (`AltRobertaModel`) are not."""
    family = pretrained_family(classes)
    prefixes = [c.name[: -len("PreTrainedModel")] for c in family if c.name.endswith("PreTrainedModel")]
    return [
        c.name
        for c in family
        if any(
            c.name.startswith(p) and (c.name.endswith("Model") or re.search(r"For[A-Z]", c.name[len(p) :]))
            for p in prefixes
        )
    ]


def _stamp(root: Path) -> tuple[str, int, int]:
    """The fork root, with the size and mtime of its `utils/check_repo.py`."""
    _, size, mtime = file_stamp(root / layout.CHECK_REPO)
    return str(root), size, mtime


@lru_cache(maxsize=8)
def _check_repo_digest(root: str, size: int, mtime: int) -> str:
    try:
        return hashlib.blake2b((Path(root) / layout.CHECK_REPO).read_bytes(), digest_size=8).hexdigest()
    except OSError:
        return "-"


@lru_cache(maxsize=8)
def _private_models(root: str, size: int, mtime: int) -> frozenset[str]:
    """The fork's `utils/check_repo.py` `PRIVATE_MODELS` (read through the fork-facts layer):
    models upstream keeps out of the public init on purpose."""
    return ForkFacts(Path(root)).check_repo_lists.get("PRIVATE_MODELS", frozenset())


class DunderAll(FileRule):
    """What it does
    In a model package's public files (`configuration_*`, `modeling_*`, `tokenization_*`,
    processors), checks that `__all__` exists (required in configuration and modeling files),
    that every name it lists is defined in the file, and that every public class is listed:
    configs with a `model_type`, and `PreTrainedModel` subclasses named after the model's
    `<Prefix>PreTrainedModel` that end in `Model` or name a head (`<Prefix>For...`).
    Internal stacks (`T5Stack`, `BartEncoder`) and borrowed sub-models (`AltRobertaModel` in
    AltCLIP) are not required: upstream keeps them private, and so are the models the fork's
    `utils/check_repo.py` lists in `PRIVATE_MODELS` (its `check_models_are_in_init` exempts them).

    Why is this bad?
    5.x builds the lazy import structure by reading each file's `__all__` textually: a class
    left out is not importable from `transformers`, and a listed name that does not exist
    breaks `import transformers` for everyone.

    Example
    ```python
    class AcmeForCausalLM(AcmePreTrainedModel): ...
    __all__ = ["AcmeModel", "AcmePreTrainedModel"]  # AcmeForCausalLM missing
    ```

    Fix safety
    `--fix` appends missing public classes to `__all__` (safe: it only exports classes that
    exist). Undefined names are reported only: removing an export is an API decision.
    """

    CODE = "SCF105"
    MIRRORS = "utils/check_repo.py (public objects exported)"
    NAME = "dunder-all-mismatch"
    SUMMARY = "__all__ does not match the public classes"
    SCOPE = "file"
    FIXABLE = True
    FILES = PUBLIC_FILES

    def cache_key(self, root: Path, path: str) -> str:
        """`PRIVATE_MODELS` of the fork's `utils/check_repo.py` decides what may stay out of `__all__`."""
        return f"{self.CODE}@{_check_repo_digest(*_stamp(root))}"

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        # Textual first (cheap); the full AST only when a listed name is not found textually.
        filename = source.path.rsplit("/", 1)[-1]
        found = exported(source)
        classes = source.classes
        if found is None:
            if filename.startswith(REQUIRED) and classes:
                yield self.finding(
                    source.path,
                    1,
                    "no __all__: nothing in this file is exported",
                    fix="add __all__ = [...] with the public classes",
                )
            return
        names, line = found
        defined = {a or b for a, b in _DEFINED.findall(source.text)}
        unknown = [
            n for n in names if n not in defined and not re.search(rf"\bimport\b[^\n]*\b{re.escape(n)}\b", source.text)
        ]
        if unknown:
            defined |= defined_names(source.tree)
        for name in unknown:
            if name not in defined:
                yield self.finding(
                    source.path,
                    line,
                    f"__all__ lists {name!r}, which the file does not define",
                    fix="define it or remove it from __all__",
                )
        configs = [
            c.name for c in classes if any(b.endswith(_CONFIG_BASES) for b in c.bases) and "model_type" in c.attrs
        ]
        private = _private_models(*_stamp(source.root))
        missing = [
            n
            for n in dict.fromkeys(_public_models(classes) + configs)
            if n not in names and not n.startswith("_") and n not in private
        ]
        if missing:
            end = line
            while end < len(source.lines) and not source.line(end).rstrip().endswith(("]", ")")):
                end += 1
            edit = Edit(source.path, line, end, render_all(names + missing))
            yield self.finding(
                source.path,
                line,
                f"__all__ misses {', '.join(missing)}",
                end_line=end,
                fix="add them to __all__",
                edits=(edit,),
            )
