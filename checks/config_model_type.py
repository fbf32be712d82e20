from __future__ import annotations

from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.context import SourceFile
from transformers_scaffold.checker.repo import config_classes

from ._common import CONFIGURATION


class ConfigModelType(FileRule):
    """What it does
    Checks that every configuration class sets its own `model_type = "..."`.

    Why is this bad?
    `model_type` is the key of `CONFIG_MAPPING_NAMES`, written into every `config.json`, and
    how `AutoConfig` finds the class again. A config that subclasses another model's config
    without its own `model_type` saves checkpoints that load as the parent model.

    Example
    ```python
    class AcmeConfig(LlamaConfig):
        vocab_size: int = 32000  # no model_type: saved as "llama"
    ```

    Fix safety
    No automatic fix: the model type is the registry key and must be chosen. `modular_*.py`
    files are not checked: the converter renames the parent's `model_type` into the generated
    configuration file, which is checked.
    """

    CODE = "SCF101"
    NAME = "config-model-type"
    SUMMARY = "configuration class without its own model_type"
    FILES = CONFIGURATION

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        for config in config_classes(source):
            if config.model_type is None and not config.name.startswith("_"):
                yield self.finding(
                    source.path, config.line, f"{config.name} sets no model_type", fix='add model_type = "<name>"'
                )
