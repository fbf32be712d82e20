"""`docs/source/en/_toctree.yml`, read with PyYAML's composer (node marks give line numbers).

`compose` gives the node graph (what the toctree codemod edits by inserting text lines at node
marks); `items` walks it with the titles of the enclosing sections; `parse_toctree` turns it into
plain, JSON-able entries for the checker and `section_of`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ToctreeError(ValueError):
    """The toctree is not YAML, or not a block list of sections at the top."""


@dataclass(frozen=True)
class Item:
    node: yaml.MappingNode
    path: tuple[str, ...]  # titles of the enclosing sections, outermost first


@dataclass(frozen=True)
class TocEntry:
    local: str
    title: str
    line: int  # 1-based line of `local:`
    section: int  # id of the enclosing `sections:` list (entries of one list share it)
    path: tuple[str, ...] = ()  # titles of the enclosing sections, outermost first


def scalar(mapping: yaml.MappingNode, key: str) -> yaml.ScalarNode | None:
    for k, v in mapping.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key and isinstance(v, yaml.ScalarNode):
            return v
    return None


def scalar_value(mapping: yaml.MappingNode, key: str) -> str | None:
    node = scalar(mapping, key)
    return node.value if node is not None else None


def sections(mapping: yaml.MappingNode) -> yaml.SequenceNode | None:
    """The block `sections:` list of an entry, if any."""
    for k, v in mapping.value:
        if isinstance(k, yaml.ScalarNode) and k.value == "sections":
            return v if isinstance(v, yaml.SequenceNode) and not v.flow_style else None
    return None


def compose(text: str) -> yaml.SequenceNode | None:
    """The root list; None for a file of comments only. `ToctreeError` when it is not a toctree."""
    try:
        root = yaml.compose(text, Loader=LOADER)
    except yaml.YAMLError as exc:
        raise ToctreeError(f"not valid YAML ({str(exc).splitlines()[0]})") from exc
    if root is None:
        return None
    if not isinstance(root, yaml.SequenceNode) or root.flow_style:
        raise ToctreeError("expected a block list of sections at the top")
    return root


def items(sequence: yaml.SequenceNode, path: tuple[str, ...] = ()) -> Iterator[Item]:
    """Every mapping in document order, with the titles of the sections around it."""
    for item in sequence.value:
        if not isinstance(item, yaml.MappingNode):
            continue
        yield Item(item, path)
        inner = sections(item)
        if inner is not None:
            yield from items(inner, (*path, scalar_value(item, "title") or ""))


def parse_toctree(text: str) -> list[list] | None:
    """[[local, title, line, section id, [path titles]], ...] in document order; None when unreadable."""
    try:
        root = compose(text)
    except ToctreeError:
        return None
    if root is None:
        return []
    out: list[list] = []
    ids: dict[int, int] = {}
    counter = [0]

    def walk(sequence: yaml.SequenceNode, path: tuple[str, ...]) -> None:
        counter[0] += 1
        ids[id(sequence)] = counter[0]
        for item in sequence.value:
            if not isinstance(item, yaml.MappingNode):
                continue
            local = scalar(item, "local")
            if local is not None:
                out.append(
                    [
                        local.value,
                        scalar_value(item, "title") or "",
                        local.start_mark.line + 1,
                        ids[id(sequence)],
                        list(path),
                    ]
                )
            inner = sections(item)
            if inner is not None:
                walk(inner, (*path, scalar_value(item, "title") or ""))

    walk(root, ())
    return out


def entries_of(data: list[list]) -> list[TocEntry]:
    return [TocEntry(local, title, line, section, tuple(path)) for local, title, line, section, path in data]
