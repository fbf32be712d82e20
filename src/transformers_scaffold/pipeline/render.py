"""Render the copier model template into memory, formatted with the fork's own ruff settings."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Any

import copier

from transformers_scaffold.errors import StageError
from transformers_scaffold.ruffbin import ruff_binary

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
MODEL_TEMPLATE = TEMPLATES / "model"
# Recorded in the answers file instead of this machine's absolute path, so the answers stay portable.
PORTABLE_SRC = "transformers_scaffold:templates/model"


def portable_src(template: Path) -> str:
    return f"transformers_scaffold:templates/{template.name}"


_RUFF_CONFIGS = ("pyproject.toml", "ruff.toml", ".ruff.toml")


def end_with_one_newline(text: str) -> str:
    """Jinja leaves blank lines after a template's last block; `git apply` warns about them (and
    editors strip them). Every non-empty file ends with exactly one newline."""
    return text.rstrip("\n") + "\n" if text.strip() else text


def render_template(answers: dict[str, Any], template: Path = MODEL_TEMPLATE) -> dict[str, str]:
    """Render `template` with `answers`; return {repo-relative posix path: text}."""
    with tempfile.TemporaryDirectory(prefix="scaffold-render-") as tmp:
        copier.run_copy(
            str(template), tmp, data=answers, defaults=True, unsafe=True, quiet=True, overwrite=True, skip_tasks=True
        )
        root = Path(tmp)
        files = {}
        for path in sorted(root.rglob("*")):
            if path.is_file():
                rel = path.relative_to(root).as_posix()
                text = path.read_text(encoding="utf-8")
                if rel.startswith(".copier-answers/"):
                    text = text.replace(f"_src_path: {template}", f"_src_path: {portable_src(template)}")
                files[rel] = end_with_one_newline(text)
        return files


def format_python(files: dict[str, str], fork_root: Path) -> dict[str, str]:
    """`ruff check --fix` then `ruff format` the Python files, under the fork's own ruff settings.

    The files are laid out at their real relative paths in a scratch directory beside a copy of
    the fork's ruff configuration, so per-file settings and first-party detection match the fork.
    """
    py = {rel: text for rel, text in files.items() if rel.endswith(".py")}
    if not py:
        return files
    with tempfile.TemporaryDirectory(prefix="scaffold-ruff-") as tmp:
        root = Path(tmp)
        for name in _RUFF_CONFIGS:
            config = fork_root / name
            if config.is_file():
                (root / name).write_bytes(config.read_bytes())
        for rel, text in py.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
        ruff = ruff_binary() or "ruff"
        for args in (["check", "--fix", "--exit-zero", "--quiet", "--no-cache"], ["format", "--quiet", "--no-cache"]):
            proc = subprocess.run([ruff, *args, *py], cwd=root, capture_output=True, text=True)
            if proc.returncode != 0:
                detail = (proc.stderr or proc.stdout).strip() or _syntax_error(root, py)
                raise StageError("format", f"ruff {args[0]} failed: {detail[-400:]}")
        return {**files, **{rel: (root / rel).read_text(encoding="utf-8") for rel in py}}


def _syntax_error(root: Path, rels: dict[str, str]) -> str:
    """Where the first generated file that does not parse fails (`--quiet` ruff names nothing)."""
    for rel in rels:
        try:
            compile((root / rel).read_text(encoding="utf-8"), rel, "exec")
        except SyntaxError as exc:
            return f"{rel}:{exc.lineno}: {exc.msg} (a template renders invalid Python)"
    return "no message"
