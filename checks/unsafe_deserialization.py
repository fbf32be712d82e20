from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.astutil import keyword
from transformers_scaffold.checker.context import SourceFile

from ._common import LIBRARY, SCRIPTS

PICKLE_CALLS = {
    f"{module}.{fn}" for module in ("pickle", "cPickle", "_pickle", "dill", "cloudpickle") for fn in ("load", "loads")
} | {"joblib.load", "pickle.Unpickler"}

_CALLED = re.compile(r"\b(?:loads?|Unpickler)\b")


class UnsafeDeserialization(FileRule):
    """What it does
    Flags `pickle.load(s)` (and `dill`/`joblib`/`cloudpickle`) and `torch.load(..., weights_only=False)`
    in library code.

    Why is this bad?
    Unpickling runs arbitrary code; a malicious checkpoint on the Hub then owns the machine.
    Transformers loads weights with safetensors, or `torch.load(weights_only=True)`.

    Example
    ```python
    state = torch.load(path, weights_only=False)
    ```

    Calls are matched through the file's imports (`import pickle as pk`, `from pickle import load`,
    `from torch import load`, function-local imports).

    Fix safety
    No automatic fix: switching to `weights_only=True` can reject legitimate old files.
    The sdist uses `weights_only=False` in a few legacy loaders behind explicit checks; suppress
    those with `# scaffold: ignore[SCF306]` after review.
    """

    CODE = "SCF306"
    NAME = "unsafe-deserialization"
    SUMMARY = "pickle.load / torch.load(weights_only=False) on untrusted data"
    FILES = LIBRARY
    EXCLUDE = SCRIPTS

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        # Every spelling of these calls names `load`/`loads`/`Unpickler` as a word (at the call or
        # in `from pickle import load as f`): files without one need no parse.
        text = source.text
        if not _CALLED.search(text) or not any(t in text for t in ("pickle", "torch", "dill", "joblib")):
            return
        if source.tree is None:
            return
        imports = source.imports
        for node in source.calls:
            name = imports.call(node)
            if name in PICKLE_CALLS:
                yield self.finding(
                    source.path,
                    node.lineno,
                    f"{name}() can run arbitrary code",
                    col=node.col_offset + 1,
                    fix="load safetensors or JSON instead",
                )
            elif name == "torch.load":
                flag = keyword(node, "weights_only")
                if isinstance(flag, ast.Constant) and flag.value is False:
                    yield self.finding(
                        source.path,
                        node.lineno,
                        "torch.load(weights_only=False) can run arbitrary code",
                        col=node.col_offset + 1,
                        fix="use weights_only=True or safetensors",
                    )
