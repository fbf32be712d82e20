"""`scaffold demo`: the whole flow on a throwaway fork built from the transformers sdist."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from transformers_scaffold.errors import UserError
from transformers_scaffold.fixture import DEFAULT_VERSION, build_fork, commit_all
from transformers_scaffold.pipeline.new_model import NewModelRequest, NewModelResult, new_model


@dataclass
class DemoResult:
    fork: Path
    scaffolded: list[NewModelResult]
    test_exit_codes: dict[str, int]


def run_demo(
    workdir: Path, templates: list[str], version: str = DEFAULT_VERSION, run_tests: bool = True
) -> DemoResult:
    fork_dir = workdir / f"transformers-{version}"
    if fork_dir.exists():
        raise UserError(f"{fork_dir} already exists; remove it or pass another --dir")
    print(f"[1/3] building a fork from the transformers {version} sdist in {fork_dir}", flush=True)
    build_fork(fork_dir, version)
    results, codes = [], {}
    for template in templates:
        name = f"demo-{template}"
        print(f"[2/3] scaffold new-model {name} --template {template}", flush=True)
        result = new_model(NewModelRequest(name=name, repo=fork_dir, template=template))
        results.append(result)
        for path in result.plan.created:
            print(f"      created {path}")
        for path in result.plan.edited:
            print(f"      edited  {path}")
        # As a contributor would: the next model refuses to touch uncommitted files.
        commit_all(fork_dir, f"Add {name} (scaffold new-model --template {template})")
    if run_tests:
        for result in results:
            tests = f"tests/models/{result.names.module}"
            print(f"[3/3] python -m pytest {tests}", flush=True)
            proc = subprocess.run(
                [sys.executable, "-m", "pytest", tests, "-q", "-p", "no:cacheprovider"], cwd=fork_dir
            )
            codes[result.names.module] = proc.returncode
    return DemoResult(fork_dir, results, codes)
