"""`--tests`: find the tests a change affects and run exactly those with pytest.

A test file in scope is affected itself; a file of `models/<m>/` affects `tests/models/<m>/`;
any other module under `src/transformers/` affects the test files that mention its dotted
module path or its module name. Failures come back as `(path, line, message)`.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from transformers_scaffold.checker import gitutil
from transformers_scaffold.checker.context import LIBRARY_DIR, CheckContext

MAX_MESSAGE = 200


def affected_tests(ctx: CheckContext) -> list[str]:
    tests_root = ctx.root / "tests"
    if not tests_root.is_dir():
        return []
    every = sorted(p.relative_to(ctx.root).as_posix() for p in tests_root.rglob("test_*.py"))
    picked: set[str] = set()
    shared: list[tuple[str, str]] = []
    for path in ctx.files:
        if not path.endswith(".py"):
            continue
        module = ctx.source(path).module_dir
        if path.startswith("tests/") and path.rsplit("/", 1)[-1].startswith("test_"):
            picked.add(path)
        elif module:
            picked.update(t for t in every if t.startswith(f"tests/models/{module}/"))
        elif path.startswith(LIBRARY_DIR + "/"):
            dotted = path[len("src/") : -len(".py")].replace("/", ".").removesuffix(".__init__")
            shared.append((dotted, dotted.rsplit(".", 1)[-1]))
    if shared:
        for test in every:
            text = ctx.source(test).text
            if any(dotted in text or f"import {name}" in text or f".{name} import" in text for dotted, name in shared):
                picked.add(test)
    return sorted(picked)


def _line_of(ctx: CheckContext, path: str, name: str) -> int:
    for number, line in enumerate(ctx.source(path).lines, start=1):
        if f"def {name}(" in line:
            return number
    return 1


def run_affected_tests(ctx: CheckContext) -> list[tuple[str, int, str]]:
    tests = affected_tests(ctx)
    if not tests:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "junit.xml"
        cmd = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--junitxml={report}",
            "-o",
            "junit_family=xunit1",
            *tests,
        ]
        start = time.perf_counter()
        # Tests that make their own git repositories must not inherit the hook's GIT_DIR.
        proc = subprocess.run(cmd, cwd=ctx.root, capture_output=True, text=True, env=gitutil.clean_env())
        ctx.notes.append(
            f"ran {len(tests)} affected test file(s) in {time.perf_counter() - start:.1f} s: {' '.join(tests)}"
        )
        if not report.is_file():
            tail = (proc.stdout + proc.stderr).strip().splitlines()[-1:] or ["no output"]
            return [(tests[0], 1, f"pytest could not run: {tail[0][:MAX_MESSAGE]}")]
        failures = []
        for case in ET.parse(report).getroot().iter("testcase"):
            problem = case.find("failure")
            if problem is None:
                problem = case.find("error")
            if problem is None:
                continue
            path = case.get("file") or tests[0]
            name = case.get("name", "?").split("[", 1)[0]
            line = _line_of(ctx, path, name) if ctx.exists(path) else 1
            detail = " ".join((problem.get("message") or "failed").split())[:MAX_MESSAGE]
            failures.append((path, line, f"{case.get('name')} failed: {detail}"))
        return failures
