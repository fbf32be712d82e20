from __future__ import annotations

import re
from collections.abc import Iterator

from transformers_scaffold.checker.api import Finding, Rule
from transformers_scaffold.checker.context import CheckContext
from transformers_scaffold.checker.repo import doc_page

DATE_LINE = re.compile(
    r"\*This model was released on .+ and added to Hugging Face Transformers on \d{4}-\d{2}-\d{2}\.\*"
)


class DocDateLine(Rule):
    """What it does
    Checks that a model's doc page carries the line
    `*This model was released on {release_date} and added to Hugging Face Transformers on YYYY-MM-DD.*`.

    Why is this bad?
    Upstream's `utils/add_dates.py` check fails without it, and readers lose the model's
    provenance. (`add-new-model-like` in 5.24 forgets it.)

    Example
    A page that starts with `# Acme` and no date line.

    Fix safety
    No automatic fix: the release date must come from the paper or announcement.
    """

    CODE = "SCF109"
    NAME = "doc-date-line"
    SUMMARY = "doc page lacks the release/added date line"
    SCOPE = "file"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for module in ctx.target_models():
            page = doc_page(ctx, module)
            if page is not None and not DATE_LINE.search(ctx.source(page).text):
                title = next((i for i, line in enumerate(ctx.source(page).lines, 1) if line.startswith("# ")), 1)
                yield self.finding(
                    page,
                    title,
                    "no '*This model was released on ... and added to Hugging Face Transformers on YYYY-MM-DD.*' line",
                    fix="add the date line above the title",
                )
