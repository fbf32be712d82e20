"""Load the findings artifact that `scaffold check --format json` wrote, treating it as hostile.

The review workflow downloads this file from a run that executed PR code, so nothing in it is
trusted: it is size-capped before parsing, schema-validated, every path must stay inside the
repository, and every string is bounded. A document that is not a findings artifact at all (too
big, not JSON, wrong tool or version) is a `UserError` (one line, exit 2). One bad entry does not
discard the others: it is skipped and named (by index and reason, never by its untrusted text) so
the review can list it and keep the status red.
"""

from __future__ import annotations

import json
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
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
_HIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn"}
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
    # The replacement of lines `suggestion[0]..suggestion[1]` of `path` (whole lines, newline-ended),
    # from the artifact's `edits` (version 2) when the fix is one edit of this file's own lines.
    suggestion: tuple[int, int, str] | None = field(default=None, compare=False)


class ArtifactUnreadable(UserError):
    """No file to read at all (a usage error, not a tampered artifact): nothing is posted."""


@dataclass(frozen=True)
class Artifact:
    findings: list[Finding]
    skipped: tuple[str, ...] = ()  # "entry 3: <reason>", one per invalid entry


@cache
def _validators() -> tuple[tuple[jsonschema.protocols.Validator, jsonschema.protocols.Validator | None], ...]:
    """(whole-document validator, one-entry validator) for each schema that is installed."""
    validators = []
    for package, name in _SCHEMA_CANDIDATES:
        try:
            text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
        except (FileNotFoundError, ModuleNotFoundError, OSError):
            continue
        schema = json.loads(text)
        cls = jsonschema.validators.validator_for(schema)
        items = schema.get("properties", {}).get("findings", {}).get("items")
        validators.append((cls(schema), cls(items) if items else None))
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


def parse_artifact(data: bytes, *, max_bytes: int = MAX_ARTIFACT_BYTES) -> Artifact:
    """Validate raw artifact bytes: the findings (sorted, de-duplicated) and the entries skipped."""
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
    entries = document.get("findings") if isinstance(document, dict) else None
    shell = {**document, "findings": []} if isinstance(entries, list) else document
    for validator, _ in _validators():
        _raise_first(validator, shell, "")
    findings: set[Finding] = set()
    skipped: list[str] = []
    for index, entry in enumerate(entries or []):
        try:
            for _, item_validator in _validators():
                if item_validator is not None:
                    _raise_first(item_validator, entry, f"findings/{index}")
            findings.add(_finding(entry))
        except UserError as exc:
            skipped.append(f"entry {index}: {_reason(str(exc))}")
    return Artifact(sorted(findings), tuple(skipped))


def parse_findings(data: bytes, *, max_bytes: int = MAX_ARTIFACT_BYTES) -> list[Finding]:
    return parse_artifact(data, max_bytes=max_bytes).findings


def _raise_first(validator: jsonschema.protocols.Validator, instance: Any, prefix: str) -> None:
    error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
    if error is None:
        return
    where = "/".join([prefix, *(str(p) for p in error.absolute_path)]).strip("/") or "(root)"
    # The validator's message quotes the offending value; only its keyword is safe to repeat.
    raise UserError(
        f"findings artifact fails its schema at {where} ({error.validator}); "
        "regenerate it with `scaffold check --format json`"
    )


def _reason(message: str) -> str:
    """The part of an entry's error that names the problem, without the untrusted value."""
    message = message.removeprefix("findings artifact").strip(" :")
    return re.sub(r"'[^']*'|\"[^\"]*\"", "(value)", message.split(";")[0])[:160]


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
        suggestion=_suggestion(entry),
    )


def _suggestion(entry: dict[str, Any]) -> tuple[int, int, str] | None:
    """A one-click fix: exactly one edit, on this finding's file, replacing (not inserting) lines."""
    edits = entry.get("edits") or []
    if len(edits) != 1:
        return None
    edit = edits[0]
    if edit.get("path") != entry["path"] or edit["end_line"] < edit["start_line"] or edit["start_line"] < 1:
        return None
    if any(unicodedata.category(ch) in _HIDDEN and ch not in "\n\t" for ch in edit["text"]):
        return None  # bidi overrides or control characters: never offer them as a one-click change
    return (int(edit["start_line"]), int(edit["end_line"]), str(edit["text"]))


def load_findings(path: Path, *, max_bytes: int = MAX_ARTIFACT_BYTES) -> Artifact:
    """Read and validate the artifact at `path` without ever reading more than the cap."""
    try:
        # No symlinks (a crafted artifact could point at a file of the runner), no FIFOs (would block).
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ArtifactUnreadable(
                    f"findings file {str(path)[:200]!r} is not a regular file; pass the artifact's findings.json"
                )
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise ArtifactUnreadable(
            f"cannot read findings file {str(path)[:200]!r}: {exc.strerror}; pass the artifact with --findings"
        ) from None
    return parse_artifact(data, max_bytes=max_bytes)
