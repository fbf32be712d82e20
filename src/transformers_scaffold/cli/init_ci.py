"""`scaffold init-ci`: write the check and review workflows of the PR review bot into a fork."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def command(
    fork: Annotated[Path, typer.Option("--fork", help="Root of the Transformers fork.")] = Path("."),
    force: Annotated[bool, typer.Option("--force", help="Overwrite workflows that already exist.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the workflows; write nothing.")] = False,
    python_version: Annotated[str, typer.Option("--python-version", help="Python used in CI.")] = "3.11",
    scaffold_requirement: Annotated[
        str | None,
        typer.Option("--scaffold-requirement", help="pip requirement for scaffold (default: this version)."),
    ] = None,
    check_workflow_name: Annotated[str, typer.Option("--check-workflow-name")] = "scaffold check",
    artifact_name: Annotated[str, typer.Option("--artifact-name")] = "scaffold-findings",
    fail_on: Annotated[str, typer.Option("--fail-on", help="Severities that fail the status.")] = "error",
    request_changes_on: Annotated[
        str, typer.Option("--request-changes-on", help="Severities that request changes (default: never).")
    ] = "",
) -> None:
    """Write .github/workflows/scaffold-check.yml and scaffold-review.yml (all or nothing)."""
    from transformers_scaffold.review.init_ci import CiAnswers, init_ci, render_ci

    defaults = CiAnswers()
    answers = CiAnswers(
        python_version=python_version,
        scaffold_requirement=scaffold_requirement or defaults.scaffold_requirement,
        check_workflow_name=check_workflow_name,
        artifact_name=artifact_name,
        fail_on=fail_on,
        request_changes_on=request_changes_on,
    )
    result = init_ci(fork, answers, force=force, dry_run=dry_run)
    if dry_run:
        for rel, text in render_ci(answers).items():
            typer.echo(f"--- {rel}\n{text}")
        return
    for rel in result.written:
        typer.echo(f"wrote {rel}")
    for rel in result.unchanged:
        typer.echo(f"unchanged {rel}")
    if result.written:
        typer.echo(
            "Commit both files to the default branch: workflow_run workflows only run from there. "
            "See docs/review-bot.md."
        )
