"""The facts layer on a full upstream checkout (`SCAFFOLD_REAL_FORK`, skipped when unset): the
generator's and the checker's views agree there too, and the fork's own conventions are read."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.facts.test_views import _checker_facts, _every_mapping
from transformers_scaffold.facts import ForkFacts, layout
from transformers_scaffold.fork import Fork

REAL_FORK = os.environ.get("SCAFFOLD_REAL_FORK")
pytestmark = [pytest.mark.realfork, pytest.mark.skipif(not REAL_FORK, reason="SCAFFOLD_REAL_FORK is not set")]


@pytest.fixture(scope="module")
def real_fork() -> Path:
    return Path(REAL_FORK or "").resolve()


def test_views_agree_on_a_real_fork(real_fork: Path, tmp_path: Path) -> None:
    generator = _every_mapping(Fork(real_fork).facts)
    assert generator == _every_mapping(_checker_facts(real_fork, tmp_path))
    assert len(generator["TOKENIZER_MAPPING_NAMES"]) > 200


def test_conventions_come_from_the_forks_own_tools(real_fork: Path) -> None:
    facts = ForkFacts(real_fork)
    assert facts.date_line.source == layout.ADD_DATES
    pages = sorted((real_fork / layout.DOCS_MODEL_DOC).glob("*.md"))
    dated = [p for p in pages if facts.date_line.matches(p.read_text(encoding="utf-8"))]
    assert len(dated) >= 0.9 * len(pages)  # the fork's pages carry the fork's own wording
    setup = (real_fork / layout.SETUP_PY).read_text(encoding="utf-8")
    assert facts.ruff_pin == re.search(r'"ruff==([^"]+)"', setup)[1]  # type: ignore[index]
    assert facts.config_attribute_allowlist.per_class and facts.config_attribute_allowlist.everywhere
    if (real_fork / layout.MLINTER_RULES).is_file():
        rules = facts.mlinter_rules
        assert rules is not None and rules.enabled
