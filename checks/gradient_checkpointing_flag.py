from __future__ import annotations

from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.context import SourceFile
from transformers_scaffold.checker.textmodel import pretrained_family

from ._common import MODELING


class GradientCheckpointingFlag(FileRule):
    """What it does
    Checks that `supports_gradient_checkpointing = True` is set on the `PreTrainedModel`
    subclass exactly when the file's layers can be checkpointed: a layer subclasses
    `GradientCheckpointingLayer` (5.x) or the code calls `self._gradient_checkpointing_func`
    (the older style).

    Why is this bad?
    Without the flag, `model.gradient_checkpointing_enable()` raises even though the layers
    support it; with the flag but no checkpointing layer, it silently does nothing and the
    memory savings users expect never happen.

    Example
    ```python
    class AcmeDecoderLayer(GradientCheckpointingLayer): ...
    class AcmePreTrainedModel(PreTrainedModel):
        supports_gradient_checkpointing = False  # should be True
    ```

    An explicit `supports_gradient_checkpointing = False` is a decision (Bark), not an omission,
    and is not reported.

    Fix safety
    No automatic fix: turning the flag on is only right once the common gradient-checkpointing
    tests pass. Composite models that own no `...Layer`/`...Block` class (they wrap sub-models
    through `AutoModel`, e.g. Llava) and models built on `load_backbone` (ViTMatte, ZoeDepth)
    may set the flag without checkpointed layers of their own. `modular_*`
    files inherit their layers and are not checked; the generated modeling file is.
    """

    CODE = "SCF201"
    DUPLICATES = ("TRF034",)
    NAME = "gradient-checkpointing-flag"
    SUMMARY = "supports_gradient_checkpointing disagrees with the layers"
    SCOPE = "file"
    FILES = MODELING

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        classes = source.classes
        layers = [c for c in classes if "GradientCheckpointingLayer" in c.bases]
        checkpoints = bool(layers) or "_gradient_checkpointing_func" in source.text
        owns_layers = any(c.name.endswith(("Layer", "Block")) for c in classes)
        models = pretrained_family(classes)
        flag_on = any(c.attr_is("supports_gradient_checkpointing", "True") for c in models)
        # `supports_gradient_checkpointing = False` is a decision (Bark), not an omission.
        decided = any("supports_gradient_checkpointing" in c.attrs for c in models)
        roots = [c for c in models if "PreTrainedModel" in c.bases and c.name.endswith("PreTrainedModel")]
        if checkpoints and not flag_on and not decided and roots:
            what = layers[0].name if layers else "the layers"
            yield self.finding(
                source.path,
                roots[0].line,
                f"{roots[0].name} lacks supports_gradient_checkpointing = True although {what} can be checkpointed",
                fix="set supports_gradient_checkpointing = True",
            )
        # Composite models wrap a backbone or sub-models that do the checkpointing (ViTMatte).
        delegates = any(t in source.text for t in ("load_backbone(", "AutoBackbone", "AutoModel"))
        if checkpoints or not owns_layers or delegates:
            return
        for cls in models:
            if cls.attr_is("supports_gradient_checkpointing", "True"):
                yield self.finding(
                    source.path,
                    cls.attrs["supports_gradient_checkpointing"][1],
                    "supports_gradient_checkpointing = True but no layer subclasses GradientCheckpointingLayer",
                    fix="make the decoder/encoder layer subclass GradientCheckpointingLayer",
                )
