from __future__ import annotations

import re
from collections.abc import Iterator

from transformers_scaffold.checker.api import Finding, Rule
from transformers_scaffold.checker.context import CheckContext
from transformers_scaffold.checker.repo import doc_page, exported
from transformers_scaffold.facts import layout

AUTODOC = re.compile(r"^\[\[autodoc\]\]\s+(\S+)", re.MULTILINE)
# Upstream's `find_all_documented_objects`: any page of the docs, the last dotted component
# (`[[autodoc]] transformers.SwinForImageClassification` documents `SwinForImageClassification`).
ANY_AUTODOC = re.compile(r"\[\[autodoc\]\]\s+(\S+)\s+")


# Upstream's `utils/check_repo.py` (`ignore_undocumented`) leaves these out of the docs on purpose.
UNDOCUMENTED_SUFFIXES = ("PreTrainedModel", "Decoder", "Encoder", "Layer", "Embeddings", "Attention")


# check_all_objects_are_documented skips these lists (`SHOULD_HAVE_THEIR_OWN_PAGE`: documented on
# another page, e.g. MaskFormer's Swin backbone).
CHECK_REPO_EXEMPT = ("UNDOCUMENTED_OBJECTS", "DEPRECATED_OBJECTS", "SHOULD_HAVE_THEIR_OWN_PAGE")


def _undocumented_on_purpose(name: str, prefixes: tuple[str, ...] = ()) -> bool:
    return name.isupper() or name.endswith(UNDOCUMENTED_SUFFIXES) or name.startswith(prefixes)


def documented_anywhere(ctx: CheckContext) -> frozenset[str]:
    """Every name an `[[autodoc]]` entry of any page under docs/source/en documents."""

    def compute() -> frozenset[str]:
        names: set[str] = set()
        for page in sorted((ctx.root / layout.DOCS_DIR).rglob("*.md")):
            rel = page.relative_to(ctx.root).as_posix()
            names.update(obj.split(".")[-1] for obj in ANY_AUTODOC.findall(ctx.source(rel).text))
        return frozenset(names)

    return ctx.memo("documented-anywhere", compute)


class DocAutodoc(Rule):
    """What it does
    When a model has a doc page (`docs/source/en/model_doc/<type>.md`), checks that it holds an
    `[[autodoc]] Class` entry for every class exported by the model's configuration and
    modeling files (`__all__`). Like upstream's `check_repo.py`, classes ending in
    `PreTrainedModel`, `Encoder`, `Decoder`, `Layer`, `Embeddings` or `Attention` (BERT exports
    `BertLayer`) and upper-case constants need no entry.

    Why is this bad?
    Undocumented public classes don't appear in the API reference; upstream's
    `check_repo.py` fails the PR.

    Example
    The page documents `AcmeConfig` and `AcmeModel` but not `AcmeForCausalLM`.

    Names the fork's `utils/check_repo.py` lists as `UNDOCUMENTED_OBJECTS`, `DEPRECATED_OBJECTS`
    or `SHOULD_HAVE_THEIR_OWN_PAGE`, or whose prefix its `ignore_undocumented` exempts
    (`name.startswith("Blt")`), are exempt, as upstream's check exempts them. As upstream's
    `find_all_documented_objects` does, an entry on any page counts, and
    `[[autodoc]] transformers.AcmeModel` documents `AcmeModel`.

    Fix safety
    No automatic fix: the section title and `- forward` lines are editorial.
    """

    CODE = "SCF108"
    MIRRORS = "utils/check_repo.py (check_all_objects_are_documented)"
    NAME = "doc-autodoc-missing"
    SUMMARY = "public class without [[autodoc]] on the model's doc page"
    SCOPE = "file"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        lists = ctx.facts.check_repo_lists
        # The fork's own `utils/check_repo.py` exemptions (read through the fork-facts layer).
        exempt = set().union(*(lists.get(k, ()) for k in CHECK_REPO_EXEMPT))
        prefixes = ctx.facts.undocumented_prefixes  # `if name.startswith("Blt"): return True`
        for module in ctx.target_models():
            page = doc_page(ctx, module)
            if page is None:
                continue
            documented = {n.split(".")[-1] for n in AUTODOC.findall(ctx.source(page).text)}
            for prefix in ("configuration_", "modeling_"):
                for source in ctx.model_files(module, prefix):
                    found = exported(source)
                    for name in found[0] if found else []:
                        if name in documented or _undocumented_on_purpose(name, prefixes) or name in exempt:
                            continue
                        if name not in documented_anywhere(ctx):
                            yield self.finding(
                                page,
                                1,
                                f"{name} has no [[autodoc]] entry",
                                fix=f"add `## {name}` and `[[autodoc]] {name}`",
                            )
