"""docs/checks/ is generated from the registry; this fails when someone forgets to regenerate."""

from __future__ import annotations

from pathlib import Path

from transformers_scaffold.checker.docs import REPO_DOCS, render_all, stale_pages
from transformers_scaffold.checks import RULES


def test_rule_docs_are_up_to_date() -> None:
    stale = stale_pages(REPO_DOCS, list(RULES))
    assert not stale, f"stale rule docs {stale}: run `python -m transformers_scaffold.checker.docs`"


def test_stale_detection_catches_an_edited_page(tmp_path: Path) -> None:
    for name, text in render_all(list(RULES)).items():
        (tmp_path / name).write_text(text)
    assert stale_pages(tmp_path, list(RULES)) == []
    (tmp_path / "SCF101.md").write_text("edited by hand\n")
    (tmp_path / "SCF999.md").write_text("a rule that no longer exists\n")
    assert stale_pages(tmp_path, list(RULES)) == ["SCF101.md", "SCF999.md"]
