from __future__ import annotations

import ast
from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.astutil import call_name
from transformers_scaffold.checker.context import SourceFile
from transformers_scaffold.checker.textmodel import pretrained_family

from ._common import MODELING


class PostInitLast(FileRule):
    """What it does
    In every `__init__` of a `PreTrainedModel` subclass, checks that `self.post_init()` is
    called, and that it is the last statement.

    Why is this bad?
    `post_init()` initialises the weights and wires tying, gradient checkpointing and the
    tensor-parallel plan. Modules created after it keep their random default init and miss
    that wiring; skipping it entirely leaves the whole model uninitialised.

    Example
    ```python
    def __init__(self, config):
        super().__init__(config)
        self.post_init()
        self.lm_head = nn.Linear(...)  # created after post_init
    ```

    Fix safety
    No automatic fix: moving `post_init()` can change which modules get initialised. Plain
    attribute assignments after it (T5Stack's `self.gradient_checkpointing = False`) are
    allowed, and a missing call is only reported when `__init__` creates modules
    (`self.x = Module(...)`). `modular_*` files are not checked (the generated file is).
    """

    CODE = "SCF205"
    DUPLICATES = ("TRF007", "TRF013")
    NAME = "post-init-last"
    SUMMARY = "post_init() missing or not last in __init__"
    FILES = MODELING

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        if "__init__" not in source.text:
            return
        family = {c.name: c for c in pretrained_family(source.classes)}
        for cls, init in source.methods("__init__", only=set(family)):
            if cls.name not in family or cls.name.endswith("PreTrainedModel"):
                continue
            body = [s for s in init.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
            index = next(
                (i for i, s in enumerate(body) if isinstance(s, ast.Expr) and call_name(s.value) == "self.post_init"),
                None,
            )
            if index is None:
                direct = any(b.endswith("PreTrainedModel") for b in cls.bases)
                if direct and any(_creates_module(s) for s in body):
                    yield self.finding(
                        source.path,
                        init.lineno,
                        f"{cls.name}.__init__ never calls self.post_init()",
                        fix="end __init__ with self.post_init()",
                    )
                continue
            later = [
                s for s in body[index + 1 :] if _creates_module(s) or not isinstance(s, (ast.Assign, ast.AnnAssign))
            ]
            if later:
                # The finding spans post_init() to the last offending statement: in a `--changed`
                # run, a diff that only adds a statement after an untouched post_init() still
                # touches the finding.
                yield self.finding(
                    source.path,
                    body[index].lineno,
                    f"self.post_init() is not the last statement of {cls.name}.__init__",
                    end_line=later[-1].end_lineno or later[-1].lineno,
                    fix="move self.post_init() to the end of __init__",
                )


def _creates_module(stmt: ast.stmt) -> bool:
    """`self.x = Something(...)` (a call of a capitalised name or of `nn.*`) anywhere in `stmt`."""
    for node in ast.walk(stmt):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            name = call_name(node.value).rsplit(".", 1)[-1]
            # Losses hold no parameters: creating one after post_init() is harmless (DistilBERT).
            if (
                name[:1].isupper()
                and not name.endswith("Loss")
                and any(isinstance(t, ast.Attribute) for t in node.targets)
            ):
                return True
    return False
