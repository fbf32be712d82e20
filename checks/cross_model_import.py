from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.context import SourceFile

from ._common import MODELING

ALLOWED = {"auto"}
IMPORT = re.compile(r"^\s*from (?:\.\.(?!auto\b)\w|transformers\.models\.)", re.MULTILINE)


class CrossModelImport(FileRule):
    """What it does
    Flags imports of another model's package in a `modeling_*.py` file
    (`from ..llama.modeling_llama import LlamaMLP`, `from transformers.models.llama import ...`).
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
    NAME = "cross-model-import"
    SUMMARY = "modeling file imports another model"
    FILES = MODELING

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        own = source.module_dir
        if not IMPORT.search(source.text):
            return
        for node in source.nodes:
            if not isinstance(node, ast.ImportFrom) or node.module is None:
                continue
            if node.level == 2:
                other = node.module.split(".")[0]
            elif node.level == 0 and node.module.startswith("transformers.models."):
                other = node.module.split(".")[2]
            else:
                continue
            if other not in ALLOWED and other != own:
                yield self.finding(
                    source.path,
                    node.lineno,
                    f"imports from another model ({other})",
                    col=node.col_offset + 1,
                    fix="copy the code, or reuse it in modular_<name>.py and regenerate",
                )
