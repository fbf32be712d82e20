"""`scaffold new-model NAME --standalone --output DIR`: the standalone half of the `new-model` command."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from transformers_scaffold.errors import UserError


def run_standalone(
    name: str,
    output: Path | None,
    standalone: bool,
    template: str | None,
    like: str | None,
    tokenizer: str | None,
    date: str | None,
    yes: bool,
    dry_run: bool,
) -> int:
    if not standalone:
        raise UserError("--output is only for --standalone; add --standalone or drop --output")
    if output is None:
        raise UserError("--standalone needs --output DIR, a new or empty directory for the package")
    if not yes and not template and not like and sys.stdin.isatty() and sys.stdout.isatty():
        template = typer.prompt("Template (decoder or encoder)", default="decoder").strip()
    from transformers_scaffold.standalone.package import StandaloneRequest, new_standalone_model

    result = new_standalone_model(
        StandaloneRequest(
            name=name, output=output, template=template, like=like, tokenizer=tokenizer, date=date, dry_run=dry_run
        )
    )
    if dry_run:
        sys.stdout.write(result.plan.diff())
        return 0
    print(f"Packaged {result.names.model_type} ({result.spec.kind}) in {result.root}")
    for path in result.plan.created:
        print(f"  created  {path}")
    print(f"Next: pip install -e '{result.root}[test]' && python -m pytest {result.root}")
    return 0
