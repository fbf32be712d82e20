"""Insert one element into a libcst list or dict literal, keeping the layout of its neighbours.

Shared by the pipeline codemods (`_PIPELINE_CLASS_TO_MODULE`, `SUPPORTED_TASKS`, the top-level
`_import_structure` lists). In a multi-line literal each element's comma carries the newline and
indentation before the next element, so the new element borrows a neighbour's comma, and when it
goes last it takes over the old last element's comma (trailing or not) while the old last one
borrows an inner comma.
"""

from __future__ import annotations

from typing import Any, TypeVar

import libcst as cst

Container = TypeVar("Container", cst.List, cst.Dict)


def _inner_comma(elements: list, fallback_indent: str | None) -> cst.Comma:
    for element in elements[:-1]:
        if isinstance(element.comma, cst.Comma):
            return element.comma
    if fallback_indent is not None:
        return cst.Comma(
            whitespace_after=cst.ParenthesizedWhitespace(
                first_line=cst.TrailingWhitespace(newline=cst.Newline()),
                indent=True,
                last_line=cst.SimpleWhitespace(fallback_indent),
            )
        )
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def element_indent(container: cst.List | cst.Dict) -> str | None:
    """The indentation of elements in a multi-line literal, None when it is on one line."""
    lbracket = container.lbracket if isinstance(container, cst.List) else container.lbrace
    ws = lbracket.whitespace_after
    if isinstance(ws, cst.ParenthesizedWhitespace):
        return ws.last_line.value
    return None


def insert_element(container: Container, index: int, element: cst.BaseElement | cst.BaseDictElement) -> Container:
    """`container` with `element` at `index` (0..len), its comma and whitespace copied from neighbours."""
    elements: list[Any] = list(container.elements)
    if not elements:
        return container.with_changes(elements=[element.with_changes(comma=cst.MaybeSentinel.DEFAULT)])
    indent = element_indent(container)
    if index < len(elements):
        # Same comma as the element it is pushed in front of (its whitespace leads to that element).
        comma = elements[index].comma if index < len(elements) - 1 else _inner_comma(elements, indent)
        if not isinstance(comma, cst.Comma):
            comma = _inner_comma(elements, indent)
        elements.insert(index, element.with_changes(comma=comma))
    else:
        last = elements[-1]
        elements[-1] = last.with_changes(comma=_inner_comma(elements, indent))
        elements.append(element.with_changes(comma=last.comma))
    return container.with_changes(elements=elements)


def sorted_index(keys: list[str | None], key: str) -> int:
    """Before the first key that sorts after `key` (plain string order), else at the end."""
    return next((i for i, k in enumerate(keys) if k is not None and k > key), len(keys))
