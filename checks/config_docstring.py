from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from transformers_scaffold.checker.api import Finding, Rule
from transformers_scaffold.checker.astutil import dotted, top_classes
from transformers_scaffold.checker.context import CheckContext
from transformers_scaffold.checker.repo import documented_config_args, is_config_class

from ._config_fields import config_fields


def _uses_auto_docstring(cls: ast.ClassDef) -> bool:
    return any("auto_docstring" in dotted(d.func if isinstance(d, ast.Call) else d) for d in cls.decorator_list)


class ConfigDocstring(Rule):
    """What it does
    Checks that every field of a configuration class is documented: an `name (`type`...):`
    entry in the class docstring, or — for classes decorated with `@auto_docstring` — a
    standard argument that `utils/auto_docstring.py` (`ConfigArgs`) documents.

    Why is this bad?
    The config docstring is the model's user-facing reference; upstream's
    `check_docstrings.py` rejects undocumented fields.

    Example
    ```python
    @auto_docstring(checkpoint="acme/acme-1b")
    class AcmeConfig(PreTrainedConfig):
        r\"\"\"
        expert_count (`int`, *optional*, defaults to 8):
            Number of experts.
        \"\"\"
        expert_count: int = 8
        router_jitter: float = 0.0  # undocumented
    ```

    Like upstream, only public configuration classes (in the module's `__all__`) and classes
    decorated with `@auto_docstring` are checked: a private nested config (ESM's
    `StructureModuleConfig`) is not part of the documented API. An untyped `name:` entry counts
    as documented.

    Fix safety
    No automatic fix: the description must be written.
    """

    CODE = "SCF113"
    MIRRORS = "utils/check_docstrings.py (config arguments documented)"
    NAME = "config-docstring-field"
    SUMMARY = "config field missing from the config docstring"
    SEVERITY = "warning"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        standard = documented_config_args(ctx)
        for module in ctx.target_models():
            for source in ctx.model_files(module, "configuration_"):
                exported = ctx.facts.exports(source.path)
                public = set(exported[0]) if exported else set()
                for cls in top_classes(source.tree):
                    if not is_config_class(cls):
                        continue
                    auto = _uses_auto_docstring(cls)
                    if not auto and cls.name not in public:
                        continue  # a private nested config: upstream checks public objects only
                    doc = ast.get_docstring(cls) or ""
                    for name, line in config_fields(cls):
                        # `name (`int`, ...):` or an untyped `name:` entry both document it.
                        if re.search(rf"^\s*{re.escape(name)}\s*[(:]", doc, re.MULTILINE):
                            continue
                        if auto and name in standard:
                            continue
                        yield self.finding(
                            source.path,
                            line,
                            f"{cls.name}.{name} is not documented",
                            fix=f"add `{name} (`type`, *optional*, defaults to ...):` to the docstring",
                        )
