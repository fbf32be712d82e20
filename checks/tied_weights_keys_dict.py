from __future__ import annotations

from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.context import SourceFile

from ._common import MODELING


class TiedWeightsKeysDict(FileRule):
    """What it does
    Flags `_tied_weights_keys` written as a list, tuple or set.

    Why is this bad?
    Since Transformers 5 it maps each tied parameter to its source,
    `{"lm_head.weight": "model.embed_tokens.weight"}`; the old list form is no longer
    understood, and the output embedding ends up untied (or randomly initialised) on load.

    Example
    ```python
    _tied_weights_keys = ["lm_head.weight"]
    ```
    Write `_tied_weights_keys = {"lm_head.weight": "model.embed_tokens.weight"}`.

    Fix safety
    No automatic fix: the source parameter's name is model specific.
    """

    CODE = "SCF204"
    DUPLICATES = ("TRF048",)
    NAME = "tied-weights-keys-dict"
    SUMMARY = "_tied_weights_keys must be a dict (target -> source)"
    FILES = MODELING

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        if "_tied_weights_keys" not in source.text:
            return
        for cls in source.classes:
            if "_tied_weights_keys" not in cls.attrs:
                continue
            value, line = cls.attrs["_tied_weights_keys"]
            value = value.split("#", 1)[0].strip()
            is_set = value.startswith("{") and value.endswith("}") and ":" not in value and value != "{}"
            if value.startswith(("[", "(", "set(")) or is_set:
                kind = {"[": "list", "(": "tuple"}.get(value[:1], "set")
                yield self.finding(
                    source.path,
                    line,
                    f"{cls.name}._tied_weights_keys is a {kind}, not a dict",
                    fix='write {"lm_head.weight": "model.embed_tokens.weight"}',
                )
