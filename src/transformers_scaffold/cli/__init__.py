"""The `scaffold` command line: wiring only.

Each command lives in its own module and calls one library function. This module maps
`UserError` to one line on stderr and exit code 2, click usage errors to exit code 2, and
Ctrl-C to 130 (the pipelines roll their own writes back before the interrupt reaches here).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer

from transformers_scaffold.errors import ScaffoldError, UserError

try:  # typer >= 0.25 vendors click; older releases use the click package
    from typer._click import exceptions as click_exc
except ImportError:  # pragma: no cover
    from click import exceptions as click_exc  # type: ignore[no-redef]

_Exit = getattr(click_exc, "Exit", typer.Exit)
_Abort = getattr(click_exc, "Abort", typer.Abort)


app = typer.Typer(
    name="scaffold",
    help="Scaffold, check and review Hugging Face Transformers models.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    # Imported here so `import transformers_scaffold.cli` stays cheap and cycle-free.
    if app.registered_commands:
        return
    from transformers_scaffold.cli import check, demo, init_ci, new_model, new_pipeline, review

    app.command("new-model")(new_model.command)
    app.command("new-pipeline")(new_pipeline.command)
    app.command("check")(check.command)
    app.command("review")(review.command)
    app.command("init-ci")(init_ci.command)
    app.command("demo")(demo.command)


def _usage_hint(args: list[str]) -> str:
    """` (see scaffold check --help)` for a known command; for an unknown one the closest command."""
    import difflib

    commands = [c.name for c in app.registered_commands if c.name]
    first = next((a for a in args if not a.startswith("-")), None)
    if first is not None and first not in commands:
        close = difflib.get_close_matches(first, commands, n=1)
        return (
            f"; did you mean `scaffold {close[0]}`? (see `scaffold --help`)" if close else " (see `scaffold --help`)"
        )
    return f" (see `scaffold {first} --help`)" if first else " (see `scaffold --help`)"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    _register()
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = app(args=args, prog_name="scaffold", standalone_mode=False)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return UserError.exit_code
    except ScaffoldError as exc:
        # A stage failed after validation; the transaction already restored the tree.
        print(f"error: {exc}; nothing was changed", file=sys.stderr)
        return 1
    except click_exc.UsageError as exc:
        print(f"error: {exc.format_message()}{_usage_hint(args)}", file=sys.stderr)
        return 2
    except _Exit as exc:
        return int(exc.exit_code)
    except (_Abort, KeyboardInterrupt):
        print("error: interrupted; nothing was changed", file=sys.stderr)
        return 130
    code = int(result) if isinstance(result, int) else 0
    if code == 130:  # typer turns a KeyboardInterrupt into exit code 130 in non-standalone mode
        print("error: interrupted; nothing was changed", file=sys.stderr)
    return code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
