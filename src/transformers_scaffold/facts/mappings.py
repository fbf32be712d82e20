"""The auto mappings of a fork, read with `ast` (one parse per file, never `import transformers`).

A mapping is a module-level `NAME = OrderedDict([("key", value), ...])` (also
`OrderedDict[str, str | None]([...])`, a dict literal, or `OrderedDict(**{...}, **NAME)`), extended
by `NAME.update(...)` calls, possibly in a later file (`configuration_auto.py` extends what
`auto_mappings.py` defines). `parse_mappings` reads one file's text into plain, JSON-able data;
the merged view across files is `ForkFacts.mapping`.

Values keep their exact source (what registration copies) and the class names they mean, by ONE
rule for conditional values (`value_classes`): a guard on a dependency every supported install has
(`tokenizers`, `sentencepiece`, `torch`, `torchvision`, `vision`) is taken as true, a guard on an
optional integration (`mistral_common`, `g2p_en`, ...) as false. So
`"LlamaTokenizer" if is_tokenizers_available() else None` means LlamaTokenizer and
`"MistralCommonBackend" if is_mistral_common_available() else ("TokenizersBackend" if ...)` means
TokenizersBackend: what a default install resolves.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

# Dependencies whose `is_<name>_available()` guard counts as true (see the module docstring).
ASSUMED_AVAILABLE = frozenset({"tokenizers", "sentencepiece", "torch", "torchvision", "vision"})


@dataclass(frozen=True)
class Entry:
    """One `(key, value)` of a mapping: the value's source, its class names, where it is."""

    key: str
    source: str  # the value as written (dedented when it spans lines)
    classes: tuple[str, ...]  # class names by the conditional-value rule; () for None
    line: int  # 1-based line of the key
    path: str = ""  # file it comes from (set by the merged view)

    @property
    def first(self) -> str | None:
        return self.classes[0] if self.classes else None


def _guard_holds(test: ast.expr) -> bool:
    """`is_tokenizers_available()` -> True; `is_mistral_common_available()` -> False."""
    calls = [n for n in ast.walk(test) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    names = [c.func.id for c in calls if isinstance(c.func, ast.Name)]
    deps = [n[3 : -len("_available")] for n in names if n.startswith("is_") and n.endswith("_available")]
    holds = bool(deps) and all(dep in ASSUMED_AVAILABLE for dep in deps)
    return not holds if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) else holds


def value_classes(node: ast.expr) -> tuple[str, ...]:
    """The class names a mapping value means (the one rule for conditional values)."""
    if isinstance(node, ast.IfExp):
        return value_classes(node.body if _guard_holds(node.test) else node.orelse)
    if isinstance(node, ast.Constant):
        return (node.value,) if isinstance(node.value, str) else ()
    if isinstance(node, (ast.Tuple, ast.List)):
        return tuple(name for elt in node.elts for name in value_classes(elt))
    return ()


def source_classes(source: str) -> tuple[str, ...]:
    """`value_classes` of a value given as Python source."""
    try:
        return value_classes(ast.parse(f"(\n{source}\n)", mode="eval").body)
    except SyntaxError:
        return ()


def _segmenter(text: str) -> Callable[[ast.expr], str]:
    """`ast.get_source_segment`, minus its cost: it re-splits the whole file on every call."""
    if "\r" in text:
        return ast.unparse  # same meaning, not the same bytes; no Transformers file has "\r"
    lines = [line.encode() for line in text.split("\n")]

    def segment(node: ast.expr) -> str:
        start, end = node.lineno - 1, (node.end_lineno or node.lineno) - 1
        end_col = node.end_col_offset if node.end_col_offset is not None else len(lines[end])
        if start == end:
            return lines[start][node.col_offset : end_col].decode()
        first = lines[start][: node.col_offset].decode()
        block = b"\n".join([lines[start][node.col_offset :], *lines[start + 1 : end], lines[end][:end_col]])
        # As a block of its own: the first line padded to its column, then the common indent removed.
        return textwrap.dedent(" " * len(first) + block.decode())

    return segment


def assigned_names(statement: ast.stmt) -> list[str]:
    """Names a top-level `X = ...` / `X: T = ...` statement binds."""
    if isinstance(statement, ast.Assign):
        return [t.id for t in statement.targets if isinstance(t, ast.Name)]
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) and statement.value:
        return [statement.target.id]
    return []


def mapping_list(tree: ast.Module, mapping: str) -> ast.List | None:
    """The `[...]` of the first top-level `mapping = OrderedDict([...])`: the list an insertion edits."""
    for statement in tree.body:
        if mapping not in assigned_names(statement):
            continue
        value = statement.value  # type: ignore[attr-defined]
        if isinstance(value, ast.Call) and value.args and not isinstance(value.args[0], ast.Starred):
            value = value.args[0]
        if isinstance(value, ast.List):
            return value
    return None


def _pairs(node: ast.expr | None, segment: Callable[[ast.expr], str]) -> list[list]:
    """[key, source, classes, line] of each literal pair in a mapping expression."""
    out: list[list] = []
    if isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values, strict=False):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                out.append([key.value, segment(value), list(value_classes(value)), key.lineno])
            elif key is None:  # {**OTHER}
                out += _pairs(value, segment)
    elif isinstance(node, (ast.List, ast.Tuple)):
        for item in node.elts:
            if isinstance(item, ast.Tuple) and len(item.elts) == 2:
                key, value = item.elts
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    out.append([key.value, segment(value), list(value_classes(value)), key.lineno])
    elif isinstance(node, ast.Call):
        for arg in node.args:
            out += _pairs(arg, segment)
        for kw in node.keywords:  # OrderedDict(**{"gpt-sw3": ...}, **NAMES)
            out += _pairs(kw.value, segment)
    return out


def parse_mappings(text: str) -> dict[str, dict]:
    """Every module-level mapping of one file, as JSON-able data:

    `{NAME: {"entries": [[key, source, classes, line], ...], "defines": bool, "extends": bool}}` —
    `defines`: the file assigns NAME a literal list of pairs (where an insertion goes); `extends`:
    it only adds to a NAME defined elsewhere (`.update()`, `OrderedDict(**{...}, **NAME)`).
    Duplicated keys are kept in file order. A file that does not parse raises `SyntaxError`.
    """
    segment = _segmenter(text)
    tree = ast.parse(text)
    found: dict[str, dict] = {}
    for statement in tree.body:
        names = assigned_names(statement)
        if names:
            value = statement.value  # type: ignore[attr-defined]
            pairs = _pairs(value, segment)
            if not pairs and not isinstance(value, (ast.Call, ast.Dict)):
                continue
            if isinstance(value, ast.Call) and not pairs and not value.args and not value.keywords:
                pass  # `X = OrderedDict()`: an empty mapping
            elif isinstance(value, ast.Call) and not _looks_like_mapping(value):
                continue
            defines = mapping_list(tree, names[0]) is not None or isinstance(value, ast.Dict)
            self_ref = any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(value))
            for name in names:
                slot = found.setdefault(name, {"entries": [], "defines": False, "extends": False})
                slot["entries"] += pairs
                slot["defines"] = slot["defines"] or (defines and not self_ref)
                slot["extends"] = slot["extends"] or self_ref
        elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            func = statement.value.func
            if isinstance(func, ast.Attribute) and func.attr == "update" and isinstance(func.value, ast.Name):
                slot = found.setdefault(func.value.id, {"entries": [], "defines": False, "extends": False})
                for arg in statement.value.args:
                    slot["entries"] += _pairs(arg, segment)
                slot["extends"] = True
    return found


def _looks_like_mapping(call: ast.Call) -> bool:
    """`OrderedDict(...)`, `OrderedDict[...](...)`, `dict(...)`: not any call that takes a list."""
    func = call.func.value if isinstance(call.func, ast.Subscript) else call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name in {"OrderedDict", "dict"}


def entries_of(data: dict, path: str = "") -> list[Entry]:
    return [Entry(key, source, tuple(classes), line, path) for key, source, classes, line in data["entries"]]


def spelling_of(entries: list[Entry], cls: str) -> str | None:
    """How existing entries spell a value of plain class `cls`: the source of the first entry that is
    `"cls"` or `"cls" if <guard> else ...` (so a new entry can reuse the guard), else None."""
    for entry in entries:
        try:
            node = ast.parse(f"(\n{entry.source}\n)", mode="eval").body
        except SyntaxError:
            continue
        body = node.body if isinstance(node, ast.IfExp) else node
        if isinstance(body, ast.Constant) and body.value == cls:
            return entry.source
    return None
