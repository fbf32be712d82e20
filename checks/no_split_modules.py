from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from transformers_scaffold.checker.api import Finding, Rule
from transformers_scaffold.checker.context import MODELS_DIR, CheckContext

from ._common import MODELING, MODULAR

_CLASS = re.compile(r"^\s*class (\w+)", re.MULTILINE)
_ATTR = re.compile(r"^\s+_no_split_modules\s*(?::[^=]+)?=\s*(\[[^\]]*\]|\([^)]*\))", re.MULTILINE)


class NoSplitModules(Rule):
    """What it does
    Checks that every class `_no_split_modules` names exists: defined or imported in the file,
    or defined in some file of a model package (composite models name their sub-models'
    layers). Names starting with `Parametrized` are torch's generated parametrization classes
    (hubert's `ParametrizedConv1d`) and are accepted. An empty list is allowed: wrappers
    (ColPali) inherit the split points of the model they wrap.

    Why is this bad?
    `device_map="auto"` and FSDP auto-wrapping look these names up as strings. A typo or a
    renamed class means no layer is kept whole (device_map splits a residual block across
    GPUs) or FSDP wraps nothing.

    Example
    ```python
    _no_split_modules = ["AcmeDecoderLayr"]  # typo
    ```

    Fix safety
    No automatic fix.
    """

    CODE = "SCF203"
    DUPLICATES = ("TRF005", "TRF022")
    NAME = "no-split-modules-unknown"
    SUMMARY = "_no_split_modules names a class that does not exist"
    SCOPE = "file"

    def _all_classes(self, ctx: CheckContext) -> set[str]:
        def compute() -> set[str]:
            names: set[str] = set()
            for path in sorted((ctx.root / MODELS_DIR).glob("*/*.py")):
                names.update(_CLASS.findall(path.read_text(encoding="utf-8", errors="replace")))
            return names

        return ctx.memo("all-model-classes", compute)

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        # Textual on purpose: parsing every modeling file in the main process costs seconds.
        for source in ctx.iter_files(MODELING + MODULAR):
            text = source.text
            for match in _ATTR.finditer(text):
                try:
                    names = ast.literal_eval(match.group(1))
                except (ValueError, SyntaxError):
                    continue
                line = text.count("\n", 0, match.start()) + 1
                local = set(_CLASS.findall(text))
                for name in names:
                    if (
                        not isinstance(name, str)
                        or name.startswith("Parametrized")
                        or name in local
                        or name in self._all_classes(ctx)
                    ):
                        continue
                    if re.search(rf"^\s*(from\s+\S+\s+)?import\s[^\n]*\b{re.escape(name)}\b", text, re.MULTILINE):
                        continue
                    yield self.finding(
                        source.path,
                        line,
                        f"_no_split_modules names unknown class {name!r}",
                        fix="use the exact name of the layer class",
                    )
