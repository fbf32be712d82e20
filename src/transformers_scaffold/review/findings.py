"""Load the findings artifact that `scaffold check --format json` wrote, treating it as hostile.

The review workflow downloads this file from a run that executed PR code, so nothing in it is
trusted: it is size-capped before parsing, schema-validated, every path must stay inside the
repository, and every string is bounded. Any violation is a `UserError` (one line, exit 2) that
names the offending entry; the review then posts nothing rather than something half-checked.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

import jsonschema

from transformers_scaffold.errors import UserError

MAX_ARTIFACT_BYTES = 5 * 1024 * 1024
SEVERITIES = ("error", "warning", "info")
# Characters a repository path we review never needs, and that could break out of Markdown/HTML.
_FORBIDDEN_PATH_CHARS = re.compile(r"[\x00-\x1f\x7f<>\"'`\\|*?]")
_SCHEMA_CANDIDATES = (
    ("transformers_scaffold.checker", "findings.schema.json"),  # the contract, owned by the checker
    ("transformers_scaffold.review", "findings.schema.json"),  # the review's caps on top of it
)


@dataclass(frozen=True, order=True)
class Finding:
    """One checker finding, validated. Lines are 1-based (0: the whole file) and `end_line >= line`."""

    path: str
    line: int
    end_line: int
    code: str
    severity: str
    message: str
    name: str = ""
    col: int | None = None
    fix: str | None = None
    fixable: bool = False


@cache
def _validators() -> tuple[jsonschema.protocols.Validator, ...]:
    validators = []
    for package, name in _SCHEMA_CANDIDATES:
        try:
            text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
        except (FileNotFoundError, ModuleNotFoundError, OSError):
            continue
        schema = json.loads(text)
        cls = jsonschema.validators.validator_for(schema)
        validators.append(cls(schema))
    return tuple(validators)


def confine_path(raw: str) -> str:
    """A repository-relative POSIX path, or `UserError` if it could point anywhere else."""
    if _FORBIDDEN_PATH_CHARS.search(raw):
        raise UserError(
            f"findings artifact: path {raw[:80]!r} contains forbidden characters; regenerate it with `scaffold check`"
        )
    if raw.startswith("/") or re.match(r"^[A-Za-z]:", raw):
        raise UserError(
            f"findings artifact: absolute path {raw[:80]!r}; paths must be relative to the repository root"
        )
    parts = PurePosixPath(raw).parts
    if any(part in ("..", "") for part in parts) or raw.endswith("/"):
        raise UserError(f"findings artifact: path {raw[:80]!r} leaves the repository; paths must not contain '..'")
    if parts and parts[0] == ".git":
        raise UserError(f"findings artifact: path {raw[:80]!r} points into .git; findings must name tracked files")
    return PurePosixPath(*[p for p in parts if p != "."]).as_posix()


def parse_findings(data: bytes, *, max_bytes: int = MAX_ARTIFACT_BYTES) -> list[Finding]:
    """Validate raw artifact bytes and return the findings, sorted and de-duplicated."""
    if len(data) > max_bytes:
        raise UserError(
            f"findings artifact is {len(data)} bytes, over the {max_bytes}-byte cap; "
            "run `scaffold check --changed` so only changed files are reported"
        )
    try:
        document: Any = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise UserError(
            f"findings artifact is not UTF-8 JSON ({exc}); regenerate it with `scaffold check --format json`"
        ) from None
    for validator in _validators():
        error = jsonschema.exceptions.best_match(validator.iter_errors(document))
        if error is not None:
            where = "/".join(str(p) for p in error.absolute_path) or "(root)"
            raise UserError(
                f"findings artifact fails its schema at {where}: {error.message[:200]}; "
                "regenerate it with `scaffold check --format json`"
            )
    findings = {_finding(entry) for entry in document["findings"]}
    return sorted(findings)


def _finding(entry: dict[str, Any]) -> Finding:
    line = int(entry["line"])
    end_line = entry.get("end_line") or line
    if end_line < line:
        raise UserError(f"findings artifact: end_line {end_line} is before line {line} in {entry['path'][:80]!r}")
    return Finding(
        path=confine_path(entry["path"]),
        line=line,
        end_line=int(end_line),
        code=entry["code"],
        severity=entry["severity"],
        message=entry["message"],
        name=entry.get("name") or "",
        col=entry.get("col"),
        fix=entry.get("fix"),
        fixable=bool(entry.get("fixable", False)),
    )


def load_findings(path: Path, *, max_bytes: int = MAX_ARTIFACT_BYTES) -> list[Finding]:
    """Read and validate the artifact at `path` without ever reading more than the cap."""
    try:
        # No symlinks (a crafted artifact could point at a file of the runner), no FIFOs (would block).
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise UserError(
                    f"findings file {str(path)[:200]!r} is not a regular file; pass the artifact's findings.json"
                )
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise UserError(
            f"cannot read findings file {str(path)[:200]!r}: {exc.strerror}; pass the artifact with --findings"
        ) from None
    return parse_findings(data, max_bytes=max_bytes)
