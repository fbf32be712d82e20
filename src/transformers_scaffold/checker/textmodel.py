"""A cheap textual model of a Python file: top-level classes, their attributes and methods.

Parsing every modeling file of a Transformers tree with `ast` costs ~25 CPU-seconds (25 MB of
source); most rules only need class headers, class attributes, or one method's body. This module
finds those by indentation (upstream code is ruff-formatted, so indentation is reliable) and
parses only the method bodies that a rule asks for. Rules fall back to the full AST when the
text is ambiguous.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

_CLASS = re.compile(r"^class\s+(\w+)\s*(?:\(([^)]*)\))?\s*:", re.MULTILINE)
_ATTR = re.compile(r"^    (\w+)\s*(?::[^=\n]+)?=\s*(.*)$")
_METHOD = re.compile(r"^    (?:async\s+)?def\s+(\w+)\s*\(")


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip())


def block_end(lines: list[str], start: int) -> int:
    """0-based index after the block that starts at line index `start` (by indentation).

    Closing brackets at the block's own indent (multi-line signatures) belong to it; trailing
    blank lines do not.
    """
    base = indent_of(lines[start])
    end = start + 1
    while end < len(lines):
        line = lines[end]
        if line.strip() and indent_of(line) <= base and not line.lstrip().startswith((")", "]", "}")):
            break
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return end


@dataclass
class TextClass:
    name: str
    bases: list[str]  # last dotted component of each base
    line: int  # 1-based line of `class`
    end: int  # 1-based last line of the body
    attrs: dict[str, tuple[str, int]] = field(default_factory=dict)  # name -> (first line of value, line)
    methods: dict[str, int] = field(default_factory=dict)  # name -> 1-based line of `def`

    def attr_is(self, name: str, value: str) -> bool:
        return name in self.attrs and self.attrs[name][0].split("#", 1)[0].strip() == value


def text_classes(text: str, lines: list[str]) -> list[TextClass]:
    classes = []
    for match in _CLASS.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        bases = []
        for raw in (match.group(2) or "").split(","):
            raw = raw.strip()
            if raw and "=" not in raw:
                bases.append(raw.split("[", 1)[0].rsplit(".", 1)[-1].strip())
        end = block_end(lines, line - 1)
        cls = TextClass(match.group(1), bases, line, end)
        for number in range(line + 1, end + 1):
            body = lines[number - 1]
            method = _METHOD.match(body)
            if method:
                cls.methods.setdefault(method.group(1), number)
                continue
            attr = _ATTR.match(body)
            if attr and attr.group(1) not in cls.attrs:
                cls.attrs[attr.group(1)] = (attr.group(2), number)
        classes.append(cls)
    return classes


def pretrained_family(classes: list[TextClass]) -> list[TextClass]:
    """Classes in the `PreTrainedModel` family (bases followed within the file)."""
    family: set[str] = set()
    changed = True
    while changed:
        changed = False
        for cls in classes:
            if cls.name not in family and any(b.endswith("PreTrainedModel") or b in family for b in cls.bases):
                family.add(cls.name)
                changed = True
    return [c for c in classes if c.name in family]


def parse_block(lines: list[str], start_line: int) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """Parse the method whose `def` is on 1-based `start_line`, with real line numbers."""
    start = start_line - 1
    end = block_end(lines, start)
    base = indent_of(lines[start])
    snippet = "\n".join(line[base:] if line.strip() else "" for line in lines[start:end])
    try:
        tree = ast.parse(snippet)
    except SyntaxError:
        return None
    node = tree.body[0] if tree.body else None
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    for child in ast.walk(node):
        if hasattr(child, "lineno"):
            child.lineno += start  # type: ignore[attr-defined]
            child.end_lineno = (child.end_lineno or child.lineno - start) + start  # type: ignore[attr-defined]
            child.col_offset += base  # type: ignore[attr-defined]
    return node
