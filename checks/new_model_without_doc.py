from __future__ import annotations

from collections.abc import Iterator

from transformers_scaffold.checker.api import Finding, Rule
from transformers_scaffold.checker.context import CheckContext
from transformers_scaffold.checker.repo import DOCS_MODEL_DOC, doc_page, preferred_doc_page

from ._models import anchor, models_to_check


class NewModelWithoutDoc(Rule):
    """What it does
    Checks that a model has a doc page `docs/source/en/model_doc/<model-type>.md` (or
    `<module>.md`). In a `--changed` run it checks the models the change adds; with paths,
    the models named; in a whole-tree run every model, but only when at least half of the
    models have a page.

    Why is this bad?
    Upstream requires a documentation page (overview, usage, `[[autodoc]]` of each class)
    for every model; without it the model is invisible on the docs site.

    Example
    A PR adds `src/transformers/models/acme/` but no `docs/source/en/model_doc/acme.md`.

    Fix safety
    No automatic fix (`scaffold new-model` writes the page). The PyPI sdist ships no `docs/`
    and forks built from it have pages only for scaffolded models, so a whole-tree run there
    reports nothing, on purpose; `--changed` catches new models.
    """

    CODE = "SCF304"
    NAME = "new-model-without-doc-page"
    SUMMARY = "model without docs/source/en/model_doc/<type>.md"
    SCOPE = "file"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for module in models_to_check(ctx, lambda m: doc_page(ctx, m) is not None, DOCS_MODEL_DOC):
            if doc_page(ctx, module) is None:
                page = preferred_doc_page(ctx, module)
                yield self.finding(
                    anchor(ctx, module),
                    1,
                    f"model {module!r} has no doc page {page}",
                    fix="add the page with the date line and [[autodoc]] entries",
                )
