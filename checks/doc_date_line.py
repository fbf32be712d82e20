from __future__ import annotations

from collections.abc import Iterator

from transformers_scaffold.checker.api import Finding, Rule
from transformers_scaffold.checker.context import CheckContext
from transformers_scaffold.checker.repo import doc_page


class DocDateLine(Rule):
    """What it does
    Checks that a model's doc page carries the date line in the wording of the fork's own
    `utils/add_dates.py` (read through the fork-facts layer: the regex its `--check-only` uses), or
    5.24's `*This model was released on {release_date} and added to Hugging Face Transformers on
    YYYY-MM-DD.*` where the fork ships no such tool. Mirrors `utils/add_dates.py --check-only`'s
    "missing dates" check (not its date-accuracy check, which needs the git history and the Hub).

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
            date_line = ctx.facts.date_line
            if page is not None and not date_line.matches(ctx.source(page).text):
                title = next((i for i, line in enumerate(ctx.source(page).lines, 1) if line.startswith("# ")), 1)
                yield self.finding(
                    page,
                    title,
                    f"no date line like {date_line.render('YYYY-MM-DD')!r} ({date_line.source})",
                    fix="add the date line above the title",
                )
