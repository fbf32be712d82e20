"""What every Python codemod here shares: a codemod that edits a few top-level statements.

Each edit rewrites one or two top-level statements of a large file (`MODEL_MAPPING_NAMES` in the
2,800-line `modeling_auto.py`, the `if TYPE_CHECKING:` block of `models/__init__.py`). Parsing the
whole file with libcst costs ~0.3 s for `modeling_auto.py` alone, so `apply()` finds the statements
with the C `ast` parser first (~10 ms), parses only those lines with libcst, transforms them and
splices the result back between the untouched lines. The codemod itself transforms a whole libcst
`Module` just as well (the tests check that all paths agree).

The classes speak `libcst.codemod.Codemod`'s interface (`Cls(context, **args)`, `DESCRIPTION`,
`transform_module(tree)`), so `libcst.codemod.CodemodTest` drives them, but do not inherit from it:
importing `libcst.codemod` loads `libcst.matchers`, +0.27 s on every `scaffold` run, for nothing
these edits use (no metadata, no matchers).
"""

from __future__ import annotations

import ast
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from transformers_scaffold.errors import UserError
from transformers_scaffold.facts.mappings import assigned_names

__all__ = ["StatementCodemod", "assigned_names", "py_string", "string_value"]

if TYPE_CHECKING:
    from libcst.codemod import CodemodContext


class StatementCodemod(ABC):
    """A codemod that only replaces top-level statements it `wants`, one for one."""

    NAME: ClassVar[str] = ""  # kebab-case, the registry key
    DESCRIPTION: ClassVar[str] = ""
    FILES: ClassVar[tuple[str, ...]] = ()  # fork files it edits (posix, from the root)

    def __init__(self, context: CodemodContext | None = None, *, filename: str | None = None) -> None:
        self.context = context
        self._filename = filename or getattr(context, "filename", None)

    @property
    def filename(self) -> str:
        """The file's name for error messages."""
        return self._filename or "the edited file"

    @abstractmethod
    def wants(self, statement: ast.stmt) -> bool:
        """Whether this top-level statement (as parsed by `ast`) may be edited by this codemod."""

    @abstractmethod
    def transform_statements(self, body: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
        """Return `body` with some statements replaced; never add, drop or reorder statements."""

    def transform_module(self, tree: cst.Module) -> cst.Module:
        """The edit on a whole parsed module (what `CodemodTest.assertCodemod` calls)."""
        return tree.with_changes(body=self.transform_statements(tree.body))

    def transform(self, text: str | None) -> str:
        """The codemods' one interface (`registry.Codemod`): the new text of the file."""
        if text is None:
            raise UserError(f"{self.filename} not found; --repo must point at a Transformers v5 fork")
        return self.apply(text)

    def apply(self, text: str) -> str:
        """Edit `text` (a whole Python file) and return the new text; every other byte is kept."""
        try:
            tree = ast.parse(text)
        except SyntaxError as exc:
            raise UserError(
                f"cannot parse {self.filename} (line {exc.lineno}: {exc.msg}); fix the file first"
            ) from exc
        picked = [stmt for stmt in tree.body if self.wants(stmt)]
        spans = [(stmt.lineno - 1, stmt.end_lineno or stmt.lineno) for stmt in picked]
        overlapping = any(start < prev_end for (_, prev_end), (start, _) in zip(spans, spans[1:], strict=False))
        # `ast` and this split agree on line numbers only for "\n" line ends; else take the slow, sure path.
        if not spans or overlapping or "\r" in text:
            return self._apply_whole(text)
        lines = text.split("\n")
        chunks = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
        pieces = ["".join(chunks[start:end]) for start, end in spans]
        # A statement on the last line may lack its newline; libcst needs statements to end in one.
        module = _parse("".join(piece if piece.endswith("\n") else piece + "\n" for piece in pieces), self.filename)
        if len(module.body) != len(spans):  # pieces must map one to one onto statements; else play safe
            return self._apply_whole(text)
        new_body = self.transform_statements(module.body)
        out: list[str] = []
        cursor = 0
        for (start, end), piece, old, new in zip(spans, pieces, module.body, new_body, strict=True):
            out += chunks[cursor:start]
            code = piece if new is old else module.code_for_node(new)
            out.append(code if piece.endswith("\n") else code.removesuffix("\n"))
            cursor = end
        out += chunks[cursor:]
        return "".join(out)

    def _apply_whole(self, text: str) -> str:
        return self.transform_module(_parse(text, self.filename)).code


def _parse(text: str, filename: str) -> cst.Module:
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        raise UserError(f"cannot parse {filename} (line {exc.raw_line}: {exc.message}); fix the file first") from exc


def string_value(node: cst.BaseExpression) -> str | None:
    """The value of a string literal node, or None when it is anything else."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def py_string(value: str) -> str:
    """A double-quoted Python literal for `value`, the way Transformers writes its mappings."""
    if value.isprintable() and '"' not in value and "\\" not in value:
        return f'"{value}"'
    return repr(value)
