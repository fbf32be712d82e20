"""The doc page's date line is the one the fork's own `utils/add_dates.py` writes and checks, for the
templates and for `--like` alike (read by the facts layer); 5.24's wording where the fork ships no tool.

On a real fork the fork's script itself passes the page (tests/like/test_real_fork_conventions.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.facts.test_conventions import ADD_DATES
from transformers_scaffold.facts.conventions import DEFAULT_DATE_REGEX
from transformers_scaffold.pipeline.new_model import NewModelRequest, plan_new_model

PAGE = "docs/source/en/model_doc/acme.md"
# The pattern of the excerpt's `_get_dates_pattern_match`, as the fork's --check-only applies it.
FORK_PATTERN = re.search(r'pattern = r"(.+)"', ADD_DATES)[1]  # type: ignore[index]


def _page(fork: Path, **options: str) -> str:
    req = NewModelRequest(name="acme", repo=fork, dry_run=True, date="2026-12-02", **options)  # type: ignore[arg-type]
    _, _, _, plan, _ = plan_new_model(req)
    return plan.changes[PAGE].new


@pytest.mark.parametrize("options", [{"template": "decoder"}, {"template": "encoder"}, {"like": "llama"}])
def test_the_page_carries_the_forks_date_line(fork: Path, options: dict[str, str]) -> None:
    (fork / "utils").mkdir(exist_ok=True)
    (fork / "utils/add_dates.py").write_text(ADD_DATES, encoding="utf-8")
    page = _page(fork, **options)
    match = re.search(FORK_PATTERN, page)
    assert match and match[2] == "2026-12-02", page[:1200]
    assert "contributed to Hugging Face Transformers on 2026-12-02" in page
    assert not re.search(DEFAULT_DATE_REGEX, page)  # not 5.24's wording


def test_without_the_tool_the_page_keeps_524s_wording(fork: Path) -> None:
    page = _page(fork, template="decoder")
    assert re.search(DEFAULT_DATE_REGEX, page) and not re.search(FORK_PATTERN, page)
