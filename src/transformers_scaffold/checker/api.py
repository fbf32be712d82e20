"""The small rule API that every module in `checks/` imports: findings, edits, the rule base.

Rules import only this module, `astutil` and `context` (downhill); nothing here imports the
runner or the catalogue. A rule never prints or exits: it yields `Finding`s, and a fix hangs off
its finding as line `Edit`s so that checking and fixing share one code path.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

if TYPE_CHECKING:
    from transformers_scaffold.checker.context import CheckContext, SourceFile
    from transformers_scaffold.checker.settings import Settings

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
DOC_HEADINGS = ("What it does", "Why is this bad?", "Example", "Fix safety")


@dataclass(frozen=True)
class Edit:
    """Replace lines `start_line..end_line` (1-based, inclusive) of `path` with `text`.

    `text` holds whole lines, each ending in a newline; `""` deletes. `end_line = start_line - 1`
    inserts before `start_line`. Whole-line edits keep fixes easy to review and to merge.
    """

    path: str
    start_line: int
    end_line: int
    text: str


@dataclass(frozen=True)
class Finding:
    """One problem at one place. Plain data: every reporter renders the same objects."""

    code: str
    path: str  # posix, relative to the repository root
    line: int
    message: str
    col: int = 1
    end_line: int | None = None
    fix: str | None = None  # a human hint, shown next to the finding
    edits: tuple[Edit, ...] = ()
    fixable: bool = False  # True when `--fix` repairs it (edits, or the rule's own fixer)
    name: str = ""
    severity: Severity = "error"

    @property
    def last_line(self) -> int:
        """The last line of the finding's range (`end_line` when given and not before `line`)."""
        return self.end_line if self.end_line is not None and self.end_line >= self.line else self.line

    @property
    def can_fix(self) -> bool:
        """Whether `--fix` repairs it: it carries edits, or its rule fixes it (`fixable`)."""
        return self.fixable or bool(self.edits)

    def with_rule(self, rule: type[Rule]) -> Finding:
        return replace(self, name=rule.NAME, severity=rule.SEVERITY)

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "end_line": self.last_line,
            "col": self.col,
            "message": self.message,
            "fix": self.fix,
            "fixable": self.can_fix,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        """Inverse of `to_cache` (the cache keeps edits, the public JSON does not)."""
        edits = tuple(Edit(**e) for e in data.get("edits", ()))
        keys = ("code", "path", "line", "message", "col", "end_line", "fix", "fixable", "name", "severity")
        return cls(edits=edits, **{k: data[k] for k in keys if k in data})

    def to_cache(self) -> dict[str, Any]:
        data = self.to_json()
        data["edits"] = [e.__dict__ for e in self.edits]
        return data

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.col, self.code)


class Rule:
    """Base of every rule. Subclasses set the class attributes and override `check`.

    `check(ctx)` sees the whole run (repository rules). Rules that only look at one file at a
    time subclass `FileRule` instead: the runner can then cache their findings by file content
    and spread files over processes.
    """

    CODE: ClassVar[str] = ""
    NAME: ClassVar[str] = ""
    SUMMARY: ClassVar[str] = ""
    SEVERITY: ClassVar[Severity] = "error"
    FIXABLE: ClassVar[bool] = False
    # Rules that need git history (changed files) to say anything; silent in a plain run.
    NEEDS_CHANGES: ClassVar[bool] = False
    # "line": in a `--changed` run, a finding in a file that existed before is reported only when
    # it touches a changed line (upstream's existing debt must not block an unrelated commit).
    # "file": the finding is about the file or model as a whole (registration, consistency) and
    # is reported whenever the file is in scope.
    SCOPE: ClassVar[Literal["line", "file"]] = "line"
    # The upstream check this rule mirrors (a script of the fork's `utils/`, or a tool): on a fork
    # where that check passes, the rule must report nothing. "" when it mirrors none.
    MIRRORS: ClassVar[str] = ""
    # Prefix of foreign codes this rule reports its findings under ("TRF": mlinter's codes).
    EMITS: ClassVar[str] = ""
    # mlinter (transformers-mlinter) rules that judge the same thing, e.g. ("TRF002",).
    DUPLICATES: ClassVar[tuple[str, ...]] = ()
    # `[tool.scaffold.rule-options.<NAME>]` keys this rule reads, with their types (validated up front).
    OPTIONS: ClassVar[dict[str, type | tuple[type, ...]]] = {}

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings

    def option(self, key: str, default: Any) -> Any:
        """A per-rule setting from `[tool.scaffold.rule-options.<NAME>]`."""
        return self.settings.option(self.NAME, key, default) if self.settings else default

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        raise NotImplementedError

    def prefetch(self, ctx: CheckContext) -> None:
        """Start slow external work (ruff) early; the runner calls it in a thread, in parallel
        with the file rules, before `check`. Must only fill `ctx.memo` entries of its own."""

    def fingerprint(self, root: Path) -> str:
        """Extra input of the findings cache's key (a tool's version, a rules file): a change
        invalidates every cached finding."""
        return ""

    def fix(self, ctx: CheckContext, findings: list[Finding]) -> None:
        """Rules whose fix is not a set of line edits (ruff) override this; the default is unused."""

    @classmethod
    def finding(cls, path: str, line: int, message: str, **kwargs: object) -> Finding:
        return Finding(cls.CODE, path, line, message, name=cls.NAME, severity=cls.SEVERITY, **kwargs)  # type: ignore[arg-type]


class FileRule(Rule):
    """A rule that judges each matching file on its own content only (cacheable, parallel).

    `FILES` are fnmatch patterns on the posix path relative to the repository root; `EXCLUDE`
    patterns win over them.
    """

    FILES: ClassVar[tuple[str, ...]] = ("*.py",)
    EXCLUDE: ClassVar[tuple[str, ...]] = ()

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for source in ctx.iter_files(self.FILES, self.EXCLUDE):
            yield from self.check_file(source)

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        raise NotImplementedError

    def cache_key(self, root: Path, path: str) -> str:
        """Key of this rule's cached findings for `path` (whose content is already part of the
        key): the code, plus a digest of any other file the rule reads for it."""
        return self.CODE

    def preflight(self, ctx: CheckContext) -> None:
        """Runs once in the main process before the files are checked (notes about the run)."""
