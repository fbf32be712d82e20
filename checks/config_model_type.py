from __future__ import annotations

import re
from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.context import SourceFile
from transformers_scaffold.checker.repo import config_classes, exported

from ._common import CONFIGURATION

SUB_CONFIGS = re.compile(r"^\s*sub_configs\s*=\s*\{([^}]*)\}", re.MULTILINE)

GENERIC_BASES = {"PreTrainedConfig", "PretrainedConfig"}


class ConfigModelType(FileRule):
    """What it does
    Checks that every public configuration class (listed in `__all__`), and every config that
    subclasses another model's config, sets its own `model_type = "..."`. Private helper configs
    nested in another config (ESM's `TrunkConfig`, MPT's `MptAttentionConfig`) are not
    registered and need none.

    Why is this bad?
    `model_type` is the key of `CONFIG_MAPPING_NAMES`, written into every `config.json`, and
    how `AutoConfig` finds the class again. A config that subclasses another model's config
    without its own `model_type` saves checkpoints that load as the parent model.

    Example
    ```python
    class AcmeConfig(LlamaConfig):
        vocab_size: int = 32000  # no model_type: saved as "llama"
    ```

    A subclass of a config defined in the same file (a deprecated alias or a variant of the same
    model, Ernie 4.5 VL's `Ernie4_5_VL_MoeConfig`) shares its parent's `model_type` on purpose.

    A sub-config (listed in another config's `sub_configs`, Qwen3-Omni's `Qwen3OmniMoeTalkerConfig`)
    is saved inside its parent's `config.json` and needs no `model_type` of its own.

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
        found = exported(source)
        public = set(found[0]) if found else set()
        bases = {c.name: c.bases for c in source.classes}
        configs = config_classes(source)
        local = {c.name for c in configs}
        # Sub-configs are saved inside their parent's config.json: no model_type of their own needed.
        subs = {n for block in SUB_CONFIGS.findall(source.text) for n in re.findall(r":\s*([A-Za-z_]\w*)", block)}
        for config in configs:
            own = bases.get(config.name, [])
            if any(b in local for b in own) or config.name in subs:
                continue  # an alias or variant of this file's own config (Ernie's deprecated names) shares its type
            inherits = any(b not in GENERIC_BASES for b in own)
            if config.model_type is None and not config.name.startswith("_") and (config.name in public or inherits):
                yield self.finding(
                    source.path, config.line, f"{config.name} sets no model_type", fix='add model_type = "<name>"'
                )
