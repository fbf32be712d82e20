from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.context import SourceFile
from transformers_scaffold.checker.textmodel import pretrained_family

from ._common import MODELING

FLAGS = ("_supports_sdpa", "_supports_flash_attn", "_supports_flex_attn")
DISPATCH = ("ALL_ATTENTION_FUNCTIONS", "scaled_dot_product_attention", "flash_attn", "flex_attention")
# A dispatch is a *use* of a backend entry point, matched as a whole component of the name it
# resolves to through the imports: `_supports_flash_attn` (the flag) is not `flash_attn_func`.
BACKEND = re.compile(
    r"(?:^|\.)(?:ALL_ATTENTION_FUNCTIONS|scaled_dot_product_attention|flash_attn\w*|_?flash_attention_forward"
    r"|flex_attention\w*|sdpa_attention_forward|flash_attention_forward)(?:\.|$)"
)


def uses_backend(source: SourceFile) -> bool:
    """True when the file uses an attention backend (a call or a name, resolved through imports)."""
    if not any(d in source.text for d in DISPATCH) or source.tree is None:
        return False
    imports = source.imports
    for node in source.nodes:
        if isinstance(node, ast.Call):
            name = imports.call(node)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            name = imports.qualified(node)
        else:
            continue
        if name and BACKEND.search(name):
            return True
    return False


class AttentionBackendFlags(FileRule):
    """What it does
    Checks the attention flags of the `PreTrainedModel` subclass against the attention code:
    an attention class that dispatches through `ALL_ATTENTION_FUNCTIONS` needs
    `_supports_sdpa = True`; a flag set to `True` in a file whose own attention classes never
    dispatch (no `ALL_ATTENTION_FUNCTIONS`, SDPA, flash or flex call) is a lie.

    Why is this bad?
    Without `_supports_sdpa` the model silently falls back to eager attention (slow, memory
    hungry). A flag without the dispatch makes `attn_implementation="sdpa"` a no-op.

    Example
    ```python
    attention_interface = ALL_ATTENTION_FUNCTIONS.get_interface(self.config._attn_implementation, eager_attention_forward)
    ...
    class AcmePreTrainedModel(PreTrainedModel):
        pass  # no _supports_sdpa = True
    ```

    A backend counts when the file calls or names it, resolved through its imports
    (`import torch.nn.functional as F; F.scaled_dot_product_attention`, `from ...integrations
    import flash_attn as fa`); the flags' own names (`_supports_flash_attn`) are not a dispatch.

    Fix safety
    No automatic fix. Composite models that own no attention class (they delegate to
    sub-models through `AutoModel`) are not flagged for setting the flags, and an explicit
    `_supports_sdpa = False` (GPT-OSS: attention sinks) counts as a decision, not an omission.
    """

    CODE = "SCF202"
    NAME = "attention-backend-flags"
    SUMMARY = "SDPA/flash/flex flags disagree with the attention interface"
    SCOPE = "file"
    FILES = MODELING

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        text = source.text
        classes = source.classes
        dispatches = "ALL_ATTENTION_FUNCTIONS" in text
        owns_attention = any("Attention" in c.name and "Output" not in c.name for c in classes)
        models = pretrained_family(classes)
        roots = [c for c in models if c.name.endswith("PreTrainedModel")]
        # An explicit `_supports_sdpa = False` is a decision (GPT-OSS's attention sinks), not an omission.
        declared = any("_supports_sdpa" in c.attrs for c in models)
        if dispatches and roots and not declared:
            yield self.finding(
                source.path,
                roots[0].line,
                f"{roots[0].name} dispatches through ALL_ATTENTION_FUNCTIONS but lacks _supports_sdpa = True",
                fix="set _supports_sdpa = True (and _supports_flash_attn / _supports_flex_attn once tested)",
            )
        if owns_attention and not uses_backend(source):
            for cls in models:
                for flag in FLAGS:
                    if cls.attr_is(flag, "True"):
                        yield self.finding(
                            source.path,
                            cls.attrs[flag][1],
                            f"{flag} = True but the attention never dispatches to that backend",
                            fix="dispatch through ALL_ATTENTION_FUNCTIONS.get_interface(...) or drop the flag",
                        )
