"""The fork's own conventions that a `--like` copy inherits: `utils/check_config_attributes.py`'s allowlist.

Upstream's `check_config_attributes.py` fails a config attribute that the modeling file never reads,
unless `SPECIAL_CASES_TO_ALLOW` lists it for that config class. A copy of Phi-3 reads exactly what
Phi-3 reads, so the new config class gets the source's entry (the same value, placed right after
it): `"AcmeConfig": ["embd_pdrop"]` beside `"Phi3Config": ["embd_pdrop"]`. Which classes the fork
allowlists comes from the facts layer (`ForkFacts.config_attribute_allowlist`); the edit is libcst,
every other byte of the file unchanged, and a no-op when the entry is already there.
"""

from __future__ import annotations

import libcst as cst

from transformers_scaffold.facts import ForkFacts, layout

ALLOWLIST = "SPECIAL_CASES_TO_ALLOW"


class _CopyEntry(cst.CSTTransformer):
    def __init__(self, source_key: str, new_key: str) -> None:
        super().__init__()
        self.source_key, self.new_key = source_key, new_key
        self.done = False

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        targets = [t.target for t in updated_node.targets]
        if not any(isinstance(t, cst.Name) and t.value == ALLOWLIST for t in targets):
            return updated_node
        value = updated_node.value
        if not isinstance(value, cst.Dict):
            return updated_node
        keys = [
            e.key.evaluated_value
            for e in value.elements
            if isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString)
        ]
        if self.new_key in keys:
            return updated_node
        elements = list(value.elements)
        for index, element in enumerate(elements):
            key = element.key if isinstance(element, cst.DictElement) else None
            if isinstance(key, cst.SimpleString) and key.evaluated_value == self.source_key:
                quote = key.value[0]
                comma = element.comma
                # The copy takes the source's comma (and any comment lines after it); the source keeps
                # a plain line break, so comments stay above the entry they were above.
                plain = comma
                if isinstance(comma, cst.Comma) and isinstance(comma.whitespace_after, cst.ParenthesizedWhitespace):
                    plain = comma.with_changes(whitespace_after=comma.whitespace_after.with_changes(empty_lines=[]))
                else:  # the last entry: break the line as the entries above do
                    breaks = [
                        e.comma.whitespace_after
                        for e in elements
                        if isinstance(e.comma, cst.Comma)
                        and isinstance(e.comma.whitespace_after, cst.ParenthesizedWhitespace)
                    ]
                    after = breaks[0].with_changes(empty_lines=[]) if breaks else cst.SimpleWhitespace(" ")
                    plain = cst.Comma(whitespace_after=after)
                copy = element.with_changes(key=cst.SimpleString(f"{quote}{self.new_key}{quote}"), comma=comma)
                elements[index] = element.with_changes(comma=plain)
                elements.insert(index + 1, copy)
                self.done = True
                return updated_node.with_changes(value=value.with_changes(elements=elements))
        return updated_node


def copy_allowlist_entry(text: str, source_class: str, new_class: str) -> str:
    """`text` with `SPECIAL_CASES_TO_ALLOW[new_class]` = the source's entry; unchanged if it has none."""
    transformer = _CopyEntry(source_class, new_class)
    code = cst.parse_module(text).visit(transformer).code
    return code if transformer.done else text


def allowlist_edits(facts: ForkFacts, source_class: str, new_class: str) -> dict[str, str]:
    """{repo-relative path: new text} for the fork's config-attribute allowlist, when the source is in it."""
    if facts.config_attribute_allowlist.for_class(source_class) is None:
        return {}
    text = facts.read(layout.CHECK_CONFIG_ATTRIBUTES)
    if text is None:
        return {}
    new = copy_allowlist_entry(text, source_class, new_class)
    return {layout.CHECK_CONFIG_ATTRIBUTES: new} if new != text else {}
