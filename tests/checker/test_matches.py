"""`matches` (one regular expression per pattern set) against fnmatch, pattern by pattern."""

from __future__ import annotations

import fnmatch
import subprocess
from pathlib import Path

from transformers_scaffold.checker.context import matches
from transformers_scaffold.checks import RULES

EXTRA = (("*.py",), ("docs/source/en/model_doc/*.md", "utils/[a-c]*.py"), ("tests/models/*/test_[!m]*.py",), ())


def test_matches_answers_what_fnmatch_answers_for_every_rules_patterns(sdist_fork: Path) -> None:
    listed = subprocess.run(["git", "ls-files"], cwd=sdist_fork, capture_output=True, text=True, check=True)
    paths = listed.stdout.split()[::2] + ["src/transformers/models/a/modeling_a.py", "a\nb.py", "README"]
    rules = [r for r in RULES if hasattr(r, "FILES")]
    sets = {tuple(r.FILES) for r in rules} | {tuple(r.EXCLUDE) for r in rules} | set(EXTRA)
    assert len(sets) > 10 and len(paths) > 1000
    hits = 0
    for patterns in sets:
        for path in paths:
            expected = any(fnmatch.fnmatchcase(path, p) for p in patterns)
            assert matches(path, patterns) is expected, (path, patterns)
            assert matches(path, list(patterns)) is expected
            hits += expected
    assert hits > 1000, "the comparison needs matching paths"
