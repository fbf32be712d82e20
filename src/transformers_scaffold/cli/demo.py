"""`scaffold demo`: build a throwaway fork, scaffold models into it, run their tests."""

from __future__ import annotations

from pathlib import Path

import typer


def command(
    directory: Path = typer.Option(Path("out/demo"), "--dir", help="Where to build the throwaway fork."),
    template: list[str] = typer.Option(
        ["decoder", "encoder"], "--template", help="Templates to scaffold (repeatable)."
    ),
    version: str = typer.Option("5.24.0", "--transformers-version", help="sdist version for the fork."),
    tests: bool = typer.Option(True, "--tests/--no-tests", help="Run the generated tests."),
) -> int:
    """Build a fork from the transformers sdist, scaffold models into it and run their generated tests."""
    from transformers_scaffold.demo import run_demo  # heavy (copier, libcst): only when run

    result = run_demo(directory.resolve(), template, version, tests)
    print()
    print(f"Fork:   {result.fork}")
    for scaffolded in result.scaffolded:
        module = scaffolded.names.module
        status = {None: "not run", 0: "passed"}.get(result.test_exit_codes.get(module), "FAILED")
        print(f"Model:  {result.fork}/src/transformers/models/{module}  (tests {status})")
        print(f"Tests:  {result.fork}/tests/models/{module}")
    print(f"Answers recorded in {result.fork}/.copier-answers/")
    return 0 if all(code == 0 for code in result.test_exit_codes.values()) else 1
