"""`AddToctreeEntry`: list a model's doc page in `docs/source/en/_toctree.yml`, in its sorted place.

A YAML edit with the codemods' interface: PyYAML's composer finds where things are (node marks give
line numbers), then two text lines are inserted; the file is never dumped again, so every other
byte (comments, quoting, key order) is kept. Upstream's shape, which `utils/check_doc_toc.py`
checks (sorted by lower-cased title, no duplicate `local:`):

    - title: API
      sections:
      - title: Models
        isExpanded: false
        sections:
        - title: Text models
          sections:
          - local: model_doc/albert
            title: ALBERT

Missing levels (or the whole file: the sdist ships no docs/) are created in that shape.
"""

from __future__ import annotations

import json

import yaml

from transformers_scaffold.errors import UserError
from transformers_scaffold.facts import toctree as toc
from transformers_scaffold.facts.layout import TOCTREE as TOCTREE_PATH

DEFAULT_PARENTS = ("API", "Models")
DEFAULT_SECTION = "Text models"
_LOADER = toc.LOADER
# PyYAML counts these as line breaks too; our "\n" line split would then disagree with its marks.
_ODD_BREAKS = ("\x85", "\u2028", "\u2029")


def _scalar(mapping: yaml.MappingNode, key: str) -> str | None:
    return toc.scalar_value(mapping, key)


def _last_line(node: yaml.Node) -> int:
    """0-based index of the last line holding part of `node` (scalars end on their own line)."""
    if isinstance(node, yaml.ScalarNode):
        end = node.end_mark
        return end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line
    children = node.value if isinstance(node, yaml.SequenceNode) else [n for pair in node.value for n in pair]
    return max((_last_line(child) for child in children), default=node.start_mark.line)


def _yaml_scalar(value: str) -> str:
    """`value` as a YAML scalar: plain when that reads back the same, else double-quoted."""
    try:
        plain_ok = yaml.load(f"k: {value}", Loader=_LOADER) == {"k": value}
    except yaml.YAMLError:
        plain_ok = False
    return value if plain_ok and value == value.strip() and "#" not in value else json.dumps(value)


class AddToctreeEntry:
    """Insert `- local: <local>` / `title: <title>` into the toctree section titled `section`."""

    NAME = "add-toctree-entry"
    DESCRIPTION = "List a doc page in docs/source/en/_toctree.yml under its modality section, sorted by title."
    FILES = (TOCTREE_PATH,)

    def __init__(
        self,
        *,
        local: str,
        title: str,
        section: str = DEFAULT_SECTION,
        parents: tuple[str, ...] = DEFAULT_PARENTS,
        filename: str | None = None,
    ) -> None:
        if not local or not title or not section:
            raise ValueError("local, title and section must be non-empty")
        self.local, self.title, self.section, self.parents = local, title, section, tuple(parents)
        self.filename = filename or TOCTREE_PATH

    def transform(self, text: str | None) -> str:
        """The new toctree text; `None` or an empty text gives a fresh minimal toctree."""
        if text is None or not text.strip():
            return "".join(self._block((*self.parents, self.section), indent=0)).replace("\n", _newline(text or ""))
        if any(ch in text for ch in _ODD_BREAKS) or "\r" in text.replace("\r\n", ""):
            raise UserError(f"{self.filename}: unusual line breaks; convert the file to \\n or \\r\\n line ends")
        root = self._compose(text)
        if root is None:  # comments only: keep them, add the tree below
            body = text if text.endswith("\n") else text + _newline(text)
            return body + "".join(self._block((*self.parents, self.section), indent=0)).replace("\n", _newline(text))
        full_path = tuple(t.lower() for t in (*self.parents, self.section))
        for item in toc.items(root):
            if _scalar(item.node, "local") == self.local:
                where = " > ".join(item.path) or "the top level"
                same_place = tuple(t.lower() for t in item.path)[-1:] == full_path[-1:]
                if same_place and _scalar(item.node, "title") == self.title:
                    return text  # already listed: running twice changes nothing
                raise UserError(
                    f"{self.filename}: {self.local} is already listed under {where} "
                    f"(title {_scalar(item.node, 'title')!r}); remove that entry or pick another model name"
                )
        lines = text.split("\n")
        at, new_lines = self._plan(root, lines)
        newline = _newline(text)
        if at >= len(lines):
            # appending at the very end: make sure the last line is terminated first
            body = text if text.endswith("\n") else text + newline
            return body + "".join(new_lines).replace("\n", newline)
        chunk = "".join(new_lines).replace("\n", newline)
        return "\n".join(lines[:at]) + "\n" + chunk + "\n".join(lines[at:])

    # --- where and what to insert -------------------------------------------------------------

    def _compose(self, text: str) -> yaml.SequenceNode | None:
        try:
            return toc.compose(text)
        except toc.ToctreeError as exc:
            raise UserError(f"{self.filename}: {exc}; fix the toctree first") from exc

    def _find(self, root: yaml.SequenceNode) -> tuple[int, yaml.SequenceNode | None, yaml.MappingNode | None]:
        """How many levels of parents + section exist, the deepest `sections:` list and its owner."""
        wanted = [t.lower() for t in (*self.parents, self.section)]
        sequence, owner, depth = root, None, 0
        for title in wanted:
            named = [
                i
                for i in sequence.value
                if isinstance(i, yaml.MappingNode) and (_scalar(i, "title") or "").lower() == title
            ]
            if not named:
                break
            # A page may share a section's title (`main_classes/model` is "Models"): prefer the section.
            child = next((i for i in named if toc.sections(i) is not None), named[0])
            sections = toc.sections(child)
            if sections is None:
                raise UserError(
                    f"{self.filename}: section {_scalar(child, 'title')!r} has no block `sections:` list; "
                    "add one by hand or fix the toctree"
                )
            sequence, owner, depth = sections, child, depth + 1
        if depth < len(wanted):
            # Not where upstream keeps it: accept a unique section of that title anywhere.
            matches = [
                i.node
                for i in toc.items(root)
                if (_scalar(i.node, "title") or "").lower() == wanted[-1] and toc.sections(i.node) is not None
            ]
            if len(matches) == 1:
                return len(wanted), toc.sections(matches[0]), matches[0]
        return depth, sequence, owner

    def _plan(self, root: yaml.SequenceNode, lines: list[str]) -> tuple[int, list[str]]:
        depth, sequence, owner = self._find(root)
        wanted = (*self.parents, self.section)
        assert sequence is not None
        entries = [i for i in sequence.value if isinstance(i, yaml.MappingNode)]
        item_indent = _dash_indent(lines, entries[0]) if entries else 0
        if depth == len(wanted):
            mine = self.title.lower()
            after = next((e for e in entries if (t := _scalar(e, "title")) is not None and t.lower() > mine), None)
            if after is not None:
                return _above_comments(lines, after.start_mark.line), self._entry(_dash_indent(lines, after))
            return _last_line(sequence) + 1, self._entry(item_indent)
        # Create the missing levels at the end of the deepest existing list.
        if owner is not None and not entries:
            item_indent = owner.start_mark.column
        at = _last_line(sequence) + 1 if entries else (owner.end_mark.line if owner is not None else len(lines))
        return at, self._block(wanted[depth:], item_indent)

    def _entry(self, indent: int) -> list[str]:
        pad = " " * indent
        return [f"{pad}- local: {_yaml_scalar(self.local)}\n", f"{pad}  title: {_yaml_scalar(self.title)}\n"]

    def _block(self, titles: tuple[str, ...], indent: int) -> list[str]:
        """Nested `- title: T / sections:` levels down to the entry, in upstream's indentation."""
        out: list[str] = []
        for depth, title in enumerate(titles):
            pad = " " * (indent + 2 * depth)
            out.append(f"{pad}- title: {_yaml_scalar(title)}\n")
            if title.lower() == "models" and depth < len(titles) - 1:
                out.append(f"{pad}  isExpanded: false\n")
            out.append(f"{pad}  sections:\n")
        return out + self._entry(indent + 2 * len(titles))


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _dash_indent(lines: list[str], item: yaml.MappingNode) -> int:
    """Column of the `- ` that opens a block sequence item."""
    line = lines[item.start_mark.line]
    return len(line) - len(line.lstrip(" "))


def _above_comments(lines: list[str], line: int) -> int:
    """The first line of the comment lines right above `line` (they belong to the entry below)."""
    while line > 0 and lines[line - 1].strip().startswith("#"):
        line -= 1
    return line


def add_toctree_entry(
    text: str | None, local: str, title: str, section: str = DEFAULT_SECTION, filename: str | None = None
) -> str:
    """Return the toctree `text` (None: no file yet) with the entry added in its sorted place."""
    return AddToctreeEntry(local=local, title=title, section=section, filename=filename).transform(text)
