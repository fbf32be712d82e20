"""The generated test files pass on Transformers' own `ModelTesterMixin` (the fork's real mixins).

Each kind is rendered and registered (by hand, see `rendering.py`) into a fresh fork clone, and the
generated `test_modeling_<module>.py` runs in a subprocess with the fork's `src/` first on the path.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.templates.rendering import scaffold
from transformers_scaffold.kinds import TEMPLATE_KINDS

MIN_PASSED = 100
_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped)")


def summary_counts(output: str) -> dict[str, int]:
    """The counts of pytest's final summary line (`= 123 passed, 4 skipped in 3.2s =`)."""
    lines = [line for line in output.splitlines() if _COUNT.search(line) and line.startswith("=")]
    counts = {"passed": 0, "failed": 0, "error": 0, "skipped": 0}
    for number, word in _COUNT.findall(lines[-1] if lines else ""):
        counts["error" if word.startswith("error") else word] = int(number)
    return counts


def test_summary_counts_reads_the_final_line() -> None:
    output = (
        "tests/x.py::test_a PASSED\n= 3 failed, 123 passed, 121 skipped, 2 errors, 1231 subtests passed in 31.10s ="
    )
    assert summary_counts(output) == {"passed": 123, "failed": 3, "error": 2, "skipped": 121}
    assert summary_counts("no summary") == {"passed": 0, "failed": 0, "error": 0, "skipped": 0}


@pytest.mark.slow
@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_generated_common_tests_pass(kind: str, fork: Path) -> None:
    rendered = scaffold(fork, kind, "acme")
    test_file = f"tests/models/{rendered.names.module}/test_modeling_{rendered.names.module}.py"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", test_file, "-q", "-p", "no:cacheprovider", "-n", "2"],
        cwd=fork,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    counts = summary_counts(proc.stdout)
    tail = proc.stdout[-3000:] + proc.stderr[-2000:]
    assert counts["failed"] == 0 and counts["error"] == 0, tail
    assert counts["passed"] >= MIN_PASSED, (counts, tail)
    assert proc.returncode == 0, tail
