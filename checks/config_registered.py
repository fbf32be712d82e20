from __future__ import annotations

import re
from collections.abc import Iterator

from transformers_scaffold.checker.api import Finding, Rule
from transformers_scaffold.checker.context import CheckContext
from transformers_scaffold.checker.repo import AUTO_MAPPINGS, config_mapping, model_configs

SUB_CONFIGS = re.compile(r"^\s*sub_configs\s*=\s*\{([^}]*)\}", re.MULTILINE)


def sub_config_classes(ctx: CheckContext, module: str) -> set[str]:
    """Config classes another config of the package lists in its `sub_configs`."""
    names: set[str] = set()
    for source in ctx.model_files(module, "configuration_"):
        for block in SUB_CONFIGS.findall(source.text):
            names.update(re.findall(r":\s*([A-Za-z_]\w*)", block))
    return names


class ConfigRegistered(Rule):
    """What it does
    Checks that each config's `model_type` is a key of `CONFIG_MAPPING_NAMES`
    (`models/auto/auto_mappings.py` in 5.24, `configuration_auto.py` before) mapped to that
    config class.

    Why is this bad?
    `AutoConfig.from_pretrained` and every `AutoModel*` class start from this mapping: an
    unregistered model cannot be loaded by type, and the common tests that go through the auto
    classes fail.

    Example
    `configuration_acme.py` sets `model_type = "acme"` but `auto_mappings.py` has no
    `("acme", "AcmeConfig")`.

    A sub-config (listed in another config's `sub_configs`, e.g. Bark's `BarkSemanticConfig`) is
    reached through its parent, so upstream never registers most of them: an unregistered or
    differently registered sub-config is not reported.

    Fix safety
    No automatic fix here: upstream regenerates `auto_mappings.py` (`utils/check_auto.py`),
    and `scaffold new-model` writes the entry.
    """

    CODE = "SCF102"
    NAME = "config-not-registered"
    SUMMARY = "model_type missing from CONFIG_MAPPING_NAMES"
    SCOPE = "file"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        mapping = config_mapping(ctx)
        if not mapping:
            return
        for module in ctx.target_models():
            subs = sub_config_classes(ctx, module)
            for config in model_configs(ctx, module):
                if config.model_type is None or config.name in subs:
                    continue
                registered = mapping.get(config.model_type)
                line = config.model_type_line or config.line
                if registered is None:
                    yield self.finding(
                        config.path,
                        line,
                        f"model_type {config.model_type!r} is not in CONFIG_MAPPING_NAMES",
                        fix=f'add ("{config.model_type}", "{config.name}") to {AUTO_MAPPINGS}',
                    )
                elif registered != config.name and not any(c.name == registered for c in model_configs(ctx, module)):
                    yield self.finding(
                        config.path,
                        line,
                        f"CONFIG_MAPPING_NAMES maps {config.model_type!r} to {registered}, not {config.name}",
                        fix="point the mapping at this class",
                    )
