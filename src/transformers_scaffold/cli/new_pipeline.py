"""`scaffold new-pipeline TASK`: a new pipeline task in a fork, or in a standalone package (`--standalone`)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer


def _ask_missing(model_class: str | None, input_type: str | None, default_model: str | None) -> tuple:
    """On a terminal and without --yes: prompt for what the flags left open."""
    if input_type is None:
        input_type = typer.prompt("Input type (text, image, audio, multimodal)", default="text")
    if model_class is None:
        from transformers_scaffold.newpipeline.spec import DEFAULT_AUTO_CLASS

        model_class = typer.prompt("Auto class of the models it runs", default=DEFAULT_AUTO_CLASS.get(input_type, ""))
    if default_model is None:
        default_model = (
            typer.prompt("Default Hub model, ORG/NAME[@REV] (empty: none)", default="", show_default=False) or None
        )
    return model_class, input_type, default_model


def command(
    task: str = typer.Argument(..., help="Task name: lower-case words joined by '-', e.g. text-scoring."),
    repo: Path | None = typer.Option(
        None, "--repo", help="Root of the fork or of the standalone package (default: enclosing git repo / cwd)."
    ),
    model_class: str | None = typer.Option(
        None, "--model-class", help="Auto class of the models it runs, e.g. AutoModelForSequenceClassification."
    ),
    input_type: str | None = typer.Option(None, "--type", help="Input type: text, image, audio or multimodal."),
    default_model: str | None = typer.Option(
        None, "--default-model", help="Default Hub model, ORG/NAME or ORG/NAME@REVISION."
    ),
    standalone: bool = typer.Option(
        False, "--standalone", help="Add the pipeline to a package made by `new-model --standalone`."
    ),
    date: str | None = typer.Option(None, "--date", help="Date added (YYYY-MM-DD), default today."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Never prompt; use defaults for what is missing."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the unified diff of every change; write nothing."),
) -> int:
    """Generate a pipeline class, its registrations, tests and docs."""
    if not yes and sys.stdin.isatty() and sys.stdout.isatty():
        model_class, input_type, default_model = _ask_missing(model_class, input_type, default_model)
    if standalone:
        from transformers_scaffold.newpipeline.standalone import StandalonePipelineRequest, new_standalone_pipeline

        result = new_standalone_pipeline(
            StandalonePipelineRequest(
                task=task,
                root=repo,
                model_class=model_class,
                input_type=input_type or "text",
                default_model=default_model,
                date=date,
                dry_run=dry_run,
            )
        )
    else:
        from transformers_scaffold.newpipeline.fork_plan import NewPipelineRequest, new_pipeline

        result = new_pipeline(
            NewPipelineRequest(
                task=task,
                repo=repo,
                model_class=model_class,
                input_type=input_type or "text",
                default_model=default_model,
                date=date,
                dry_run=dry_run,
            )
        )
    if dry_run:
        sys.stdout.write(result.plan.diff())
        return 0
    print(f"Scaffolded pipeline {result.spec.names.task} ({result.spec.names.class_name}) in {result.root}")
    for path in result.plan.created:
        print(f"  created  {path}")
    for path in result.plan.edited:
        print(f"  edited   {path}")
    tests = "tests" if standalone else f"tests/pipelines/test_pipelines_{result.spec.names.module}.py"
    print(f"Next: cd {result.root} && python -m pytest {tests}")
    return 0
