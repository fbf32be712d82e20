from __future__ import annotations

from collections.abc import Iterator

from transformers_scaffold.checker.api import Finding, Rule
from transformers_scaffold.checker.context import CheckContext
from transformers_scaffold.checker.repo import doc_page

# Pages upstream's check skips (`_should_skip_model_card`): not a model's card.
SKIPPED_PAGES = ("auto.md", "timm_wrapper.md")


class DocDateLine(Rule):
    """What it does
    Checks that a model's doc page carries the fork's date line: the pattern the fork's own
    `utils/add_dates.py` checks (read through the fork-facts layer), e.g. on 5.16
    `*This model was published in HF papers on ... and contributed to Hugging Face Transformers on YYYY-MM-DD.*`,
    and 5.24's `*This model was released on ... and added to Hugging Face Transformers on YYYY-MM-DD.*`
    when the fork ships no `utils/add_dates.py` (the PyPI sdist).

    Mirrors upstream `utils/add_dates.py --check-only` (the missing-date part; the "incorrect
    date" part needs the git history of the Hub and is not mirrored).

    Why is this bad?
    Upstream's check fails without it, and readers lose the model's provenance.
    (`add-new-model-like` in 5.24 forgets it.)

    Example
    A page that starts with `# Acme` and no date line.

    Fix safety
    No automatic fix: the release date must come from the paper or announcement.
    """

    CODE = "SCF109"
    NAME = "doc-date-line"
    SUMMARY = "doc page lacks the release/added date line"
    SCOPE = "file"
    MIRRORS = "utils/add_dates.py --check-only"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        convention = ctx.facts.date_line
        example = convention.render("YYYY-MM-DD", "...")
        for module in ctx.target_models():
            page = doc_page(ctx, module)
            if page is None or page.rsplit("/", 1)[-1] in SKIPPED_PAGES:
                continue
            if not convention.matches(ctx.source(page).text):
                title = next((i for i, line in enumerate(ctx.source(page).lines, 1) if line.startswith("# ")), 1)
                yield self.finding(
                    page,
                    title,
                    f"no '{example}' line (the convention of {convention.source})",
                    fix="add the date line above the title",
                )
