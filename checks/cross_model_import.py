from __future__ import annotations

from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.context import SourceFile

from ._common import MODELING

# Packages under `models/` that are shared infrastructure, not a model.
ALLOWED = {"auto", "deprecated"}


class CrossModelImport(FileRule):
    """What it does
    Flags imports of another model's package in a `modeling_*.py` file
    (`from ..llama.modeling_llama import LlamaMLP`, `from transformers.models.llama import ...`).
    Every spelling is resolved to its absolute module first: relative imports at any level
    (`from ...models.mistral.modeling_mistral import X`), `import transformers.models.llama.modeling_llama
    as m`, `from transformers.models import gemma`, and imports inside functions.
    `..auto` is allowed; `modular_*.py` files are where reuse belongs and are not checked.

    Why is this bad?
    Upstream's single-file policy: a model's modeling file must be readable and hackable on its
    own. Importing from another model couples the two, so a change to Llama silently changes
    this model. Reuse code through `modular_<name>.py`, which the converter expands.

    Example
    ```python
    from ..llama.modeling_llama import LlamaRMSNorm
    ```

    Fix safety
    No automatic fix: copy the code (or write a modular file and generate).
    """

    CODE = "SCF206"
    DUPLICATES = ("TRF009",)
    NAME = "cross-model-import"
    SUMMARY = "modeling file imports another model"
    FILES = MODELING

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        own = source.module_dir
        text = source.text
        if "models" not in text and "from .." not in text:
            return
        for imported in source.imports.modules():
            others = sorted({m for m in map(_model_of, imported.names) if m and m not in ALLOWED and m != own})
            if others:
                node = imported.node
                yield self.finding(
                    source.path,
                    node.lineno,
                    f"imports from another model ({', '.join(others)})",
                    col=node.col_offset + 1,
                    fix="copy the code, or reuse it in modular_<name>.py and regenerate",
                )


def _model_of(name: str) -> str | None:
    """`llama` for `transformers.models.llama.modeling_llama.LlamaMLP`; None outside `models`."""
    parts = name.split(".")
    if len(parts) >= 3 and parts[0] == "transformers" and parts[1] == "models":
        return parts[2]
    return None
