from __future__ import annotations

from collections.abc import Iterator

from transformers_scaffold.checker.api import Finding, Rule
from transformers_scaffold.checker.context import CheckContext
from transformers_scaffold.checker.repo import TOCTREE, doc_page


class ToctreeOrder(Rule):
    """What it does
    In `_toctree.yml`, checks that no `local:` appears twice and that the model entries of each
    section are sorted by title (case-insensitive). In a whole-tree run every `model_doc/`
    section is checked; otherwise only the sections holding the checked models.

    Why is this bad?
    Duplicates render twice and break doc builds (`check_doc_toc.py`); upstream keeps the
    model lists sorted so that merges do not conflict and readers find models.

    Example
    ```yaml
    - local: model_doc/zamba
      title: Zamba
    - local: model_doc/acme   # out of order
      title: Acme
    ```

    Fix safety
    No automatic fix: reordering YAML blocks by line edits could lose comments.
    """

    CODE = "SCF111"
    MIRRORS = "utils/check_doc_toc.py"
    NAME = "toctree-order"
    SUMMARY = "duplicate or unsorted _toctree.yml model entries"
    SCOPE = "file"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        entries = ctx.facts.toctree
        if not entries:
            return
        if ctx.whole_tree:
            wanted = {e.section for e in entries if e.local.startswith("model_doc/")}
        else:
            pages = {p[len("docs/source/en/") : -3] for m in ctx.target_models() if (p := doc_page(ctx, m))}
            wanted = {e.section for e in entries if e.local in pages}
        seen: dict[str, int] = {}
        for entry in entries:
            if entry.local in seen and entry.section in wanted:
                yield self.finding(
                    TOCTREE,
                    entry.line,
                    f"duplicate local {entry.local} (first on line {seen[entry.local]})",
                    fix="remove one of them",
                )
            seen.setdefault(entry.local, entry.line)
        for section in sorted(wanted):
            items = [e for e in entries if e.section == section and e.local.startswith("model_doc/")]
            for before, after in zip(items, items[1:], strict=False):
                if after.title.lower() < before.title.lower():
                    yield self.finding(
                        TOCTREE,
                        after.line,
                        f"{after.title!r} should come before {before.title!r}",
                        fix="keep the section sorted by title",
                    )
