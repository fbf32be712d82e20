"""`scaffold check`: run the checker and render its findings. Exit 0 clean, 1 findings, 2 usage."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from transformers_scaffold.errors import UserError

if TYPE_CHECKING:
    from transformers_scaffold.checker.api import Finding

FORMATS = ("text", "json", "github", "sarif")


def command(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders to check (default: the whole repository).")
    ] = None,
    repo: Annotated[
        Path | None,
        typer.Option(
            "--repo", help="Root of the Transformers checkout (default: the git root of the current directory)."
        ),
    ] = None,
    changed: Annotated[
        bool,
        typer.Option("--changed", help="Check only files that differ from --base (default HEAD), untracked included."),
    ] = False,
    base: Annotated[
        str | None,
        typer.Option("--base", help="Git ref to diff against (implies --changed); the merge base with HEAD is used."),
    ] = None,
    select: Annotated[
        str | None, typer.Option("--select", help="Comma-separated code prefixes to run, e.g. SCF1,SCF302.")
    ] = None,
    ignore: Annotated[str | None, typer.Option("--ignore", help="Comma-separated code prefixes to skip.")] = None,
    fix: Annotated[bool, typer.Option("--fix", help="Apply the safe fixes, then report what is left.")] = False,
    output_format: Annotated[str, typer.Option("--format", help="text, json, github or sarif.")] = "text",
    tests: Annotated[
        bool, typer.Option("--tests/--no-tests", help="Also run the tests the change affects (SCF401).")
    ] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Ignore and do not write the findings cache.")] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file instead of stdout.")
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            help="Lowest severity that makes the run fail (exit 1): error, warning or info. "
            "Default: [tool.scaffold] fail-on, else info (any finding); error under --hook.",
        ),
    ] = None,
    hook: Annotated[
        bool,
        typer.Option("--hook", help="Defaults for a git hook (what .pre-commit-hooks.yaml passes): --fail-on error."),
    ] = False,
) -> int:
    """Check a Transformers fork: style, registration, modeling and PR-review rules."""
    from transformers_scaffold.checker import gitutil
    from transformers_scaffold.checker.reporters import REPORTERS, render_text
    from transformers_scaffold.checker.runner import CheckOptions, _standalone, all_rules, run_check
    from transformers_scaffold.checker.settings import known_codes, parse_codes, parse_fail_on

    if output_format not in FORMATS:
        raise UserError(f"--format {output_format}: unknown format; use one of {', '.join(FORMATS)}")
    threshold = parse_fail_on(fail_on, "--fail-on") if fail_on is not None else None
    for path in paths or []:
        if not path.exists():
            raise UserError(f"{path} does not exist; pass existing files or directories")
    if repo is None:
        start = Path(paths[0]) if paths else Path.cwd()
        start = start if start.is_dir() else start.parent
        repo = gitutil.toplevel(start.resolve()) or Path.cwd()
    elif not repo.is_dir():
        raise UserError(f"--repo {repo}: not a directory; pass the root of a Transformers checkout")
    if not (repo / "src" / "transformers").is_dir() and _standalone(repo) is None:
        raise UserError(
            f"{repo.resolve()} is not a Transformers checkout (no src/transformers/, no [tool.scaffold.standalone]); "
            "run inside a fork or pass --repo"
        )
    if changed and base is None and os.environ.get("PRE_COMMIT_FROM_REF"):
        # pre-push: pre-commit names the remote's commit; diff the pushed range, not HEAD.
        base = gitutil.pre_push_base(repo, os.environ["PRE_COMMIT_FROM_REF"], os.environ.get("PRE_COMMIT_REMOTE_NAME"))
    known = known_codes(all_rules())
    opts = CheckOptions(
        root=repo,
        paths=[str(p) for p in paths or []],
        changed=changed or base is not None,
        base=base,
        select=parse_codes(select, known, "--select"),
        ignore=parse_codes(ignore, known, "--ignore"),
        fix=fix,
        use_cache=not no_cache,
        tests=tests,
    )
    report = run_check(opts)
    notes = report.notes
    if output_format == "text":
        color = output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR") and not os.environ.get("CI")
        rendered = render_text(report.findings, report.rules, report.files, report.fixed, color=color, notes=notes)
    else:
        rendered = REPORTERS[output_format](report.findings, report.rules, report.files, report.fixed, notes=notes)
    if output is not None:
        output.write_text(rendered, encoding="utf-8")
    else:
        sys.stdout.write(rendered)
    settings_fail_on = report.context.settings.fail_on if report.context else None
    threshold = threshold or settings_fail_on or ("error" if hook else "info")
    return 1 if failing(report.findings, threshold) else 0


def failing(findings: Sequence[Finding], threshold: str) -> bool:
    """True when some finding is at least as severe as `threshold` (error > warning > info)."""
    from transformers_scaffold.checker.api import SEVERITIES

    worst = SEVERITIES.index(threshold)
    return any(SEVERITIES.index(f.severity) <= worst for f in findings)
