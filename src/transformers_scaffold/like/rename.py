"""Rename one model's code into another's, in every casing, with libcst.

Code (names, attributes, import paths) is renamed node by node; strings, docstrings and comments
go through the same word-boundary-aware rule, so `LlamaModel`, `llama`, `LLAMA_X`, `"llama"` and
`transformers.models.llama.modeling_llama` all follow while `Llamas`, `AlbertModel` (for bert) or
`XLMRobertaXLModel` (for xlm-roberta) do not. What is deliberately left alone:

- the source model's tokenizer classes (`LlamaTokenizer`...) and `tokenization_*` module paths:
  the new model reuses the source tokenizer, it does not copy it;
- imports of source files that are not copied (converters, processors): they keep pointing at
  the source model;
- Hub ids and URLs (`meta-llama/Llama-2-7b-hf`): they name real checkpoints of the source model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import libcst as cst

# URLs and Hub ids (`org/name`, one slash) name things outside the code: kept as written. Repo
# paths (`src/transformers/models/llama`, several slashes) are renamed like module paths.
_PROTECTED = re.compile(r"https?://\S+|(?<![\w./\-])[\w.\-]+/[\w.\-]+(?![\w./\-])")


@dataclass(frozen=True)
class Casings:
    """Every spelling of one model's name: the four of `ModelNames`."""

    model_type: str
    module: str
    camel: str
    upper: str


@dataclass
class Renamer:
    """Rename `old` into `new` in identifiers, text and whole Python modules."""

    old: Casings
    new: Casings
    keep: frozenset[str] = frozenset()  # identifiers never renamed (the reused tokenizer classes)
    # Source modules (dotted, relative to `transformers.models.<module>`) that are copied, e.g.
    # {"configuration_llama", "modeling_llama"}; imports of any other source module are kept.
    copied_modules: frozenset[str] = frozenset()
    # Names of the fork's other models (class prefixes and modules): where one extends the old name
    # (`XLMRobertaXL` for `XLMRoberta`, `bert_generation` for `bert`), it is another model, kept.
    other_names: frozenset[str] = frozenset()
    _ident: re.Pattern[str] = field(init=False, repr=False)
    _prose: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._map = {self.old.camel: self.new.camel, self.old.module: self.new.module, self.old.upper: self.new.upper}
        alternation = "|".join(self._casing_pattern(v) for v in sorted(self._map, key=len, reverse=True))
        # A casing counts inside an identifier when it stands on a word or camel-hump boundary:
        # not after a letter or digit (so "AlbertModel" keeps its "bert"), and not followed by a
        # lower-case letter or digit (so "Llamas" and "Llama4" are other words).
        self._ident = re.compile(rf"(?<![A-Za-z0-9])(?:{alternation})(?![a-z0-9])")
        # Prose is scanned once (so a new name that contains the old one is never renamed twice):
        # the exact model type (hyphens included), then the name in any casing with '-', '_' or
        # ' ' between its parts ("LLaMA", "XLM-RoBERTa"), then whole words through `identifier` (an
        # identifier that starts with the name, "Exaone4_5_Config" in `__all__`, is a word, not the name).
        parts = re.split(r"[-_]", self.old.module)
        loose = r"[-_ ]?".join(re.escape(p) for p in parts)
        model_type = re.escape(self.old.model_type)
        self._prose = re.compile(
            rf"(?P<type>(?<![A-Za-z0-9_\-]){model_type}(?![A-Za-z0-9_\-]))"
            rf"|(?P<loose>(?<![A-Za-z0-9\-])(?i:{loose})(?![A-Za-z0-9]|[-_][A-Za-z0-9]))"
            r"|(?P<word>[A-Za-z0-9_]+)"
        )

    def _casing_pattern(self, casing: str) -> str:
        longer = sorted(
            (name[len(casing) :] for name in self.other_names if name.startswith(casing) and len(name) > len(casing)),
            key=len,
            reverse=True,
        )
        guard = "".join(f"(?!{re.escape(tail)}(?![a-z0-9]))" for tail in longer)
        return re.escape(casing) + guard

    # -- identifiers and text ---------------------------------------------------------------
    def identifier(self, name: str, keep: frozenset[str] = frozenset()) -> str:
        """`LlamaDecoderLayer` -> `AcmeDecoderLayer`, `load_llama` -> `load_acme`; kept names unchanged."""
        if name in self.keep or name in keep:
            return name
        return self._ident.sub(lambda m: self._casing(m.group(0), name), name)

    def _casing(self, found: str, name: str) -> str:
        """The new spelling of `found` inside the identifier `name`.

        An all-caps source name (`GPT2Config`, `T5Model`) has one spelling for its class prefix and
        its constants: a constant (`GPT2_INPUTS_DOCSTRING`: upper case with underscores) gets the new
        upper casing, anything else (`GPT2Model`, a bare `GPT2`) the new class prefix.
        """
        if found == self.old.camel == self.old.upper:
            constant = name.isupper() and "_" in name
            return self.new.upper if constant else self.new.camel
        return self._map[found]

    def _starts_other_name(self, text: str, start: int, end: int) -> bool:
        rest = text[start:].lower()
        for name in self.other_names:
            # Only a longer name that extends the match is another model (`xlm-roberta-xl`);
            # a shorter one (`xlm` inside `xlm-roberta`) is a prefix of ours.
            if (
                len(name) > end - start
                and rest.startswith(name.lower())
                and not rest[len(name) : len(name) + 1].isalnum()
            ):
                return True
        return False

    def _prose_replacement(self, match: re.Match[str], keep: frozenset[str]) -> str:
        found = match.group(0)
        if match.lastgroup != "word" and self._starts_other_name(match.string, match.start(), match.end()):
            return found
        if match.lastgroup == "type":
            return self.new.model_type
        follows = match.string[match.end() : match.end() + 1]
        if found == self.old.upper and found != self.old.camel and follows != "_":
            return self.new.camel  # "BERT" standing alone in prose names the model, not a constant
        if match.lastgroup == "word" or found in self._map:
            return self.identifier(found, keep)
        # Another spelling of the name in prose: "LLaMA" -> "Acme", "xlm roberta" -> "acme".
        if found.islower():
            return self.new.model_type
        if found.isupper() and not any(c in found for c in "- "):
            return self.new.upper
        return self.new.camel

    def _words(self, text: str, keep: frozenset[str] = frozenset()) -> str:
        return self._prose.sub(lambda m: self._prose_replacement(m, keep), text)

    def text(self, text: str, keep: frozenset[str] = frozenset()) -> str:
        """Rename prose (docstrings, comments, strings); Hub ids, URLs and paths stay untouched."""
        out, last = [], 0
        for match in _PROTECTED.finditer(text):
            out.append(self._words(text[last : match.start()], keep))
            out.append(match.group(0))
            last = match.end()
        out.append(self._words(text[last:], keep))
        return "".join(out)

    # -- modules ---------------------------------------------------------------------------
    def module(self, source: str) -> str:
        """Rename a whole Python module's source text."""
        tree = cst.parse_module(source)
        collector = _KeptImports(self)
        tree.visit(collector)
        return tree.visit(_RenameTransformer(self, frozenset(collector.names))).code

    def module_path_is_kept(self, dotted: str) -> bool:
        """True for imports of source modules that are not copied (tokenizers, converters...)."""
        parts = dotted.split(".")
        if self.old.module not in parts:
            if parts[0] in self.copied_modules or self.identifier(parts[0]) != parts[0]:
                return False  # a sibling module of the copy (`from .generation_whisper import ...`)
            # Anything else lives outside the copied package (`...generation.logits_process`): the
            # names it binds (`WhisperNoSpeechDetection`) are that module's, not the copy's.
            return bool(dotted)
        tail = parts[parts.index(self.old.module) + 1 :]
        return bool(tail) and tail[0] not in self.copied_modules


def _dotted(node: cst.BaseExpression | None) -> str:
    if node is None:
        return ""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


class _KeptImports(cst.CSTVisitor):
    """Names bound by imports that keep pointing at the source model: they are never renamed."""

    def __init__(self, renamer: Renamer) -> None:
        super().__init__()
        self.r = renamer
        self.names: set[str] = set()

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if self.r.module_path_is_kept(_dotted(node.module)) and not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                bound = alias.asname.name if alias.asname else alias.name
                self.names.add(_dotted(bound))


class _RenameTransformer(cst.CSTTransformer):
    def __init__(self, renamer: Renamer, keep: frozenset[str]) -> None:
        super().__init__()
        self.r = renamer
        self.keep = keep
        self._frozen = 0  # > 0 inside an import that must keep pointing at the source model
        self._attribute_name = 0  # > 0 inside `base_model_prefix = "..."`: the string is an attribute name

    def _kept_import(self, node: cst.Import | cst.ImportFrom) -> bool:
        if isinstance(node, cst.ImportFrom):
            return self.r.module_path_is_kept(_dotted(node.module))
        return any(self.r.module_path_is_kept(_dotted(alias.name)) for alias in node.names)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        self._frozen += self._kept_import(node)
        return True

    def leave_ImportFrom(self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom) -> cst.ImportFrom:
        if self._kept_import(original_node):
            self._frozen -= 1
            return original_node
        return updated_node

    def visit_Import(self, node: cst.Import) -> bool:
        self._frozen += self._kept_import(node)
        return True

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> cst.Import:
        if self._kept_import(original_node):
            self._frozen -= 1
            return original_node
        return updated_node

    @staticmethod
    def _is_prefix_target(targets: list[cst.BaseExpression]) -> bool:
        return any(isinstance(t, cst.Name) and t.value == "base_model_prefix" for t in targets)

    def visit_Assign(self, node: cst.Assign) -> bool:
        self._attribute_name += self._is_prefix_target([t.target for t in node.targets])
        return True

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        self._attribute_name -= self._is_prefix_target([t.target for t in original_node.targets])
        return updated_node

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        if self._frozen:
            return updated_node
        renamed = self.r.identifier(updated_node.value, self.keep)
        # Unchanged nodes are returned as they are: most names are, and rebuilding them is the cost.
        return updated_node if renamed == updated_node.value else updated_node.with_changes(value=renamed)

    def leave_SimpleString(self, original_node: cst.SimpleString, updated_node: cst.SimpleString) -> cst.SimpleString:
        value = updated_node.value
        prefix_len = len(value) - len(value.lstrip("rRbBuU"))
        if "b" in value[:prefix_len].lower():
            return updated_node
        # The prefix and quotes stay as written; only the body is prose.
        triple = value[prefix_len : prefix_len + 3]
        quote = triple if triple in ('"""', "'''") else value[prefix_len]
        body = value[prefix_len + len(quote) : len(value) - len(quote)]
        if self._attribute_name and body.isidentifier():
            renamed = self.r.identifier(body, self.keep)
        else:
            renamed = self.r.text(body, self.keep)
        if renamed == body:
            return updated_node
        return updated_node.with_changes(value=value[: prefix_len + len(quote)] + renamed + quote)

    def leave_FormattedStringText(
        self, original_node: cst.FormattedStringText, updated_node: cst.FormattedStringText
    ) -> cst.FormattedStringText:
        renamed = self.r.text(updated_node.value, self.keep)
        return updated_node if renamed == updated_node.value else updated_node.with_changes(value=renamed)

    def leave_Comment(self, original_node: cst.Comment, updated_node: cst.Comment) -> cst.Comment:
        renamed = self.r.text(updated_node.value, self.keep)
        return updated_node if renamed == updated_node.value else updated_node.with_changes(value=renamed)


def leftovers(renamer: Renamer, text: str, allowed: Iterable[str] = ()) -> list[str]:
    """Words of `text` that still spell the old model (for tests and the plan's self-check)."""
    allowed_set = frozenset(allowed) | renamer.keep
    text = _PROTECTED.sub(" ", text)
    found = []
    for match in renamer._prose.finditer(text):
        word = match.group(0)
        if word in allowed_set:
            continue
        if match.lastgroup != "word" or renamer.identifier(word) != word:
            found.append(word)
    return found
