"""Read `docs/source/en/_toctree.yml` with line numbers (PyYAML node graph, no `import transformers`)."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from transformers_scaffold.checker.context import CheckContext
from transformers_scaffold.checker.repo import TOCTREE


@dataclass(frozen=True)
class TocEntry:
    local: str
    title: str
    line: int  # 1-based line of `local:`
    section: int  # id of the enclosing `sections:` list


def _scalar(mapping: yaml.MappingNode, key: str) -> yaml.ScalarNode | None:
    for k, v in mapping.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key and isinstance(v, yaml.ScalarNode):
            return v
    return None


def toc_entries(ctx: CheckContext) -> list[TocEntry] | None:
    """Every `{local, title}` entry in document order; None when there is no toctree."""

    def compute() -> list[TocEntry] | None:
        if not ctx.exists(TOCTREE):
            return None
        try:
            root = yaml.compose(ctx.source(TOCTREE).text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            return None
        entries: list[TocEntry] = []
        counter = [0]

        def walk(node: yaml.Node, section: int) -> None:
            if isinstance(node, yaml.SequenceNode):
                counter[0] += 1
                current = counter[0]
                for item in node.value:
                    walk(item, current)
            elif isinstance(node, yaml.MappingNode):
                local, title = _scalar(node, "local"), _scalar(node, "title")
                if local is not None:
                    entries.append(
                        TocEntry(local.value, title.value if title else "", local.start_mark.line + 1, section)
                    )
                for _k, v in node.value:
                    if isinstance(v, (yaml.SequenceNode, yaml.MappingNode)):
                        walk(v, section)

        if root is not None:
            walk(root, 0)
        return entries

    return ctx.memo("toctree", compute)
