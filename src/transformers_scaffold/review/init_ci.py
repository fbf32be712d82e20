"""`scaffold init-ci`: render the two review-bot workflows and write them into a fork, all or nothing.

Answers are validated before rendering because they land inside YAML and shell lines of a
workflow that holds a write token. Writing is transactional: everything is rendered first, every
existing file is refused (unless `force`), new content goes to temporary files beside the targets,
and only then are they renamed into place; any failure restores what was there before.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import copier

from transformers_scaffold import __version__
from transformers_scaffold.atomic import stage
from transformers_scaffold.checker.api import SEVERITIES
from transformers_scaffold.errors import UserError

CI_TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "ci"
CHECK_WORKFLOW = ".github/workflows/scaffold-check.yml"
REVIEW_WORKFLOW = ".github/workflows/scaffold-review.yml"
WORKFLOWS = (CHECK_WORKFLOW, REVIEW_WORKFLOW)
_RULES = {
    "python_version": (re.compile(r"3\.[0-9]{1,2}"), "a Python version such as 3.11"),
    # A pip requirement or a path/URL to a wheel, with nothing a shell or YAML would interpret.
    "scaffold_requirement": (re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-\[\],<>=!~+*:/@]{0,199}"), "a pip requirement"),
    "check_workflow_name": (
        re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.\-]{0,79}"),
        "letters, digits, spaces, '_', '.', '-'",
    ),
    "artifact_name": (re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}"), "letters, digits, '_', '.', '-'"),
}
# YAML 1.1 reads these as null or booleans: a workflow named `null` is not named at all, and the
# review workflow, which triggers on the check's name, would never run.
_YAML_SPECIAL = {"null", "~", "true", "false", "yes", "no", "on", "off", "y", "n"}


@dataclass(frozen=True)
class CiAnswers:
    python_version: str = "3.11"
    scaffold_requirement: str = f"transformers-scaffold=={__version__}"
    check_workflow_name: str = "scaffold check"
    artifact_name: str = "scaffold-findings"
    fail_on: str = "error"
    request_changes_on: str = ""

    def validated(self) -> CiAnswers:
        for name, (pattern, expected) in _RULES.items():
            value = getattr(self, name)
            if not pattern.fullmatch(value):
                raise UserError(
                    f"init-ci: {name.replace('_', '-')} {value[:80]!r} is not {expected}; pass a plain value"
                )
            if name in ("check_workflow_name", "artifact_name") and (
                value.strip().lower() in _YAML_SPECIAL or value != value.strip()
            ):
                raise UserError(
                    f"init-ci: {name.replace('_', '-')} {value!r} is not a usable name (YAML reads it as "
                    "null/boolean, or it has surrounding spaces); pass a name such as `scaffold check`"
                )
        for name in ("fail_on", "request_changes_on"):
            chosen = [s.strip() for s in getattr(self, name).split(",") if s.strip()]
            if any(s not in SEVERITIES for s in chosen):
                raise UserError(
                    f"init-ci: {name.replace('_', '-')} must be a comma-separated subset of error, warning, info"
                )
        return self


@dataclass(frozen=True)
class InitCiResult:
    fork: Path
    written: tuple[str, ...]
    unchanged: tuple[str, ...]


def render_ci(answers: CiAnswers) -> dict[str, str]:
    """The workflows as {fork-relative path: text}, rendered by copier into a scratch directory."""
    answers = answers.validated()
    with tempfile.TemporaryDirectory(prefix="scaffold-ci-") as tmp:
        copier.run_copy(str(CI_TEMPLATE), tmp, data=asdict(answers), defaults=True, quiet=True, overwrite=True)
        return {rel: (Path(tmp) / rel).read_text(encoding="utf-8") for rel in WORKFLOWS}


def _target(fork: Path, rel: str) -> Path:
    """`fork/rel`, refusing symlinks anywhere on the way (they could point outside the fork)."""
    path = fork
    for part in Path(rel).parts:
        path = path / part
        if path.is_symlink():
            raise UserError(f"init-ci: {path} is a symlink; replace it with a real directory or file first")
    return path


def init_ci(
    fork: Path, answers: CiAnswers | None = None, *, force: bool = False, dry_run: bool = False
) -> InitCiResult:
    fork = fork.resolve()
    if not fork.is_dir():
        raise UserError(f"init-ci: {fork} is not a directory; pass the root of your Transformers fork with --fork")
    rendered = render_ci(answers or CiAnswers())
    targets = {rel: _target(fork, rel) for rel in rendered}
    existing = {rel: path for rel, path in targets.items() if path.exists()}
    for rel, path in existing.items():
        if not path.is_file():
            raise UserError(f"init-ci: {rel} exists and is not a file; move it away and re-run")
    unchanged = tuple(rel for rel, path in existing.items() if path.read_text(encoding="utf-8") == rendered[rel])
    conflicts = [rel for rel in existing if rel not in unchanged]
    if conflicts and not force:
        raise UserError(f"init-ci: {', '.join(conflicts)} already exist; re-run with --force to overwrite them")
    to_write = {rel: text for rel, text in rendered.items() if rel not in unchanged}
    if not dry_run and to_write:
        _write_all(fork, {targets[rel]: text for rel, text in to_write.items()})
    return InitCiResult(fork, tuple(sorted(to_write)), tuple(sorted(unchanged)))


def _write_all(fork: Path, files: dict[Path, str]) -> None:
    """Write every file or none: stage beside each target, then rename; undo on any failure."""
    created_dirs: list[Path] = []
    staged: dict[Path, Path] = {}
    backups: dict[Path, bytes] = {path: path.read_bytes() for path in files if path.exists()}
    replaced: list[Path] = []
    try:
        for path, text in files.items():
            missing = [
                p for p in [path.parent, *path.parent.parents] if p != fork and fork in p.parents and not p.exists()
            ]
            for directory in reversed(missing):
                directory.mkdir()
                created_dirs.append(directory)
            staged[path] = stage(path, text.encode("utf-8"))
        for path, tmp in staged.items():
            os.replace(tmp, path)
            replaced.append(path)
    except OSError as exc:
        for path in replaced:
            if path in backups:
                path.write_bytes(backups[path])
            else:
                path.unlink(missing_ok=True)
        for leftover in staged.values():
            leftover.unlink(missing_ok=True)
        for directory in reversed(created_dirs):
            with contextlib.suppress(OSError):
                directory.rmdir()
        raise UserError(
            f"init-ci: writing the workflows failed ({exc.strerror}: {exc.filename}); nothing was changed"
        ) from None
