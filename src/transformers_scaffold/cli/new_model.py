"""`scaffold new-model NAME`: generate a model in a Transformers fork, atomically."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import typer


def _ask_missing(template: str | None, like: str | None, paper_name: str | None, checkpoint: str | None) -> tuple:
    """On a terminal and without --yes: prompt for what the flags left open."""
    if not template and not like:
        choice = typer.prompt("Template (decoder, encoder, or like:MODEL_TYPE)", default="decoder")
        if choice.startswith("like:"):
            like = choice.split(":", 1)[1].strip()
        else:
            template = choice.strip()
    if paper_name is None:
        paper_name = (
            typer.prompt("Paper or release name (empty: the model's title)", default="", show_default=False) or None
        )
    if checkpoint is None:
        checkpoint = (
            typer.prompt("Hub checkpoint for docs (empty: your-org/<model-type>)", default="", show_default=False)
            or None
        )
    return template, like, paper_name, checkpoint


def _confirm_plan(plan: object) -> bool:
    """Show every file the run would create or edit, then ask before writing."""
    created, edited = plan.created, plan.edited  # type: ignore[attr-defined]
    print(f"The plan: {len(created)} files to create, {len(edited)} to edit")
    for path in created:
        print(f"  create  {path}")
    for path in edited:
        print(f"  edit    {path}")
    return bool(typer.confirm("Write these files?", default=True))


def command(
    name: str | None = typer.Argument(None, help="Model name: my-model, my_model or MyModel."),
    repo_text: str | None = typer.Option(
        None, "--repo", help="Root of the Transformers fork (default: enclosing git repo)."
    ),
    template: str | None = typer.Option(None, "--template", help="Generate from scratch: decoder or encoder."),
    like: str | None = typer.Option(
        None, "--like", help="Base the model on an existing model type (e.g. llama, xlm-roberta)."
    ),
    tokenizer: str | None = typer.Option(None, "--tokenizer", help="Reuse the tokenizer of this model type."),
    paper_name: str | None = typer.Option(None, "--paper-name", help="Paper or release name, for the doc page."),
    checkpoint: str | None = typer.Option(None, "--checkpoint", help="Hub checkpoint used in docs and the slow test."),
    date: str | None = typer.Option(None, "--date", help="Date added (YYYY-MM-DD), default today."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Never prompt; use defaults for what is missing."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the unified diff of every change; write nothing."),
    standalone: bool = typer.Option(
        False, "--standalone", help="Make a pip-installable package outside a fork (needs --output)."
    ),
    output: Path | None = typer.Option(None, "--output", help="With --standalone: a new or empty directory."),
    profile: str = typer.Option(
        "fork",
        "--profile",
        help="fork (everything) or upstream: leave out examples/, .copier-answers/ and the efficiency tests.",
    ),
    recover: bool = typer.Option(
        False, "--recover", help="Only undo what an interrupted earlier run left in the fork, then exit."
    ),
) -> int:
    """Generate config, modeling, tests, doc page and registrations for a new model."""
    from transformers_scaffold.errors import UserError

    for label, value in (
        ("--repo", repo_text),
        ("--like", like),
        ("--template", template),
        ("--tokenizer", tokenizer),
    ):
        if value is not None and not value.strip():
            raise UserError(f"{label} is empty; pass a value or leave the option out")
    repo = Path(repo_text) if repo_text is not None else None
    if recover:
        from transformers_scaffold.pipeline.recover import recover_fork

        print(recover_fork(repo))
        return 0
    if name is None:
        raise UserError("missing NAME; pass the new model's name, e.g. `scaffold new-model acme --like llama`")
    if standalone or output is not None:
        from transformers_scaffold.cli.new_standalone import run_standalone

        return run_standalone(name, output, standalone, template, like, tokenizer, date, yes, dry_run)
    interactive = not yes and sys.stdin.isatty() and sys.stdout.isatty()
    if interactive:
        from transformers_scaffold.names import resolve_names

        resolve_names(name)  # a bad name is refused before any other question is asked
        template, like, paper_name, checkpoint = _ask_missing(template, like, paper_name, checkpoint)
    from transformers_scaffold.pipeline.new_model import NewModelRequest, new_model  # heavy: only when run

    request = NewModelRequest(
        name=name,
        repo=repo,
        template=template,
        like=like,
        tokenizer=tokenizer,
        paper_name=paper_name,
        checkpoint=checkpoint,
        date=date,
        dry_run=dry_run,
        profile=profile,
    )
    result = new_model(request, confirm=_confirm_plan if interactive and not dry_run else None)
    if not result.written and not dry_run:
        print("Nothing was written.")
        return 0
    if dry_run:
        sys.stdout.write(result.plan.diff())
        if result.modular:
            print(
                "note: the fork's modular converter writes the modeling and configuration files when run for real; "
                "they are not in this diff",
                file=sys.stderr,
            )
        return 0
    created, edited = result.plan.created, result.plan.edited
    print(f"Scaffolded {result.names.model_type} ({result.spec.kind}) in {result.fork}")
    for path in created + result.converted:
        print(f"  created  {path}")
    for path in edited:
        print(f"  edited   {path}")
    print(f"Next: cd {shlex.quote(str(result.fork))} && python -m pytest tests/models/{result.names.module}")
    return 0
