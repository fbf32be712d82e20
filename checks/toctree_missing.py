from __future__ import annotations

from collections.abc import Iterator

from transformers_scaffold.checker.api import Finding, Rule
from transformers_scaffold.checker.context import CheckContext
from transformers_scaffold.checker.repo import TOCTREE, doc_page


class ToctreeMissing(Rule):
    """What it does
    When a model has a doc page and the repository has `docs/source/en/_toctree.yml`, checks
    that the page is listed there (`local: model_doc/<page>`).

    Why is this bad?
    A page missing from the toctree is built but unreachable from the docs navigation, and
    upstream's `utils/check_doc_toc.py` fails.

    Example
    `docs/source/en/model_doc/acme.md` exists but `_toctree.yml` has no
    `- local: model_doc/acme`.

    Fix safety
    No automatic fix: the modality section (text, vision, audio, multimodal) is a choice.
    """

    CODE = "SCF110"
    NAME = "toctree-missing"
    SUMMARY = "model doc page not in _toctree.yml"
    SCOPE = "file"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        entries = ctx.facts.toctree
        if entries is None:
            return
        locals_ = {e.local for e in entries}
        for module in ctx.target_models():
            page = doc_page(ctx, module)
            if page is None:
                continue
            local = page[len("docs/source/en/") : -len(".md")]
            if local not in locals_:
                yield self.finding(
                    page,
                    1,
                    f"{local} is not in {TOCTREE}",
                    fix=f"add `- local: {local}` with its title under the right section of {TOCTREE}",
                )
