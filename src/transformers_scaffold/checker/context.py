"""What a rule sees: the repository root, the files in scope, parsed sources, changed lines.

Parsing is lazy and memoised per run (one `ast.parse` per file however many rules ask), and
repository-wide facts (auto mappings, toctree) are memoised through `CheckContext.memo`.
"""

from __future__ import annotations

import ast
import fnmatch
import functools
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from transformers_scaffold.checker.astutil import walk
from transformers_scaffold.checker.imports import ImportTable
from transformers_scaffold.checker.textmodel import TextClass, block_end, parse_block, text_classes
from transformers_scaffold.facts import ForkFacts
from transformers_scaffold.facts.layout import LIBRARY_DIR, MODELS_DIR, is_model_package, module_of_path

if TYPE_CHECKING:
    from transformers_scaffold.checker.settings import Settings
    from transformers_scaffold.facts.standalone import StandalonePackage

__all__ = ["LIBRARY_DIR", "MODELS_DIR", "CheckContext", "SourceFile", "matches"]

T = TypeVar("T")


def matches(path: str, patterns: Iterable[str]) -> bool:
    """fnmatch on posix paths; `*` crosses `/` on purpose so `src/*.py` means "anywhere below".

    `any(fnmatch.fnmatchcase(path, p) for p in patterns)` as one regular expression per set of
    patterns (the runner asks every rule about every file: ~300,000 questions a whole tree)."""
    key = patterns if isinstance(patterns, tuple) else tuple(patterns)
    return bool(key) and _pattern_set(key)(path) is not None


@functools.lru_cache(maxsize=512)
def _pattern_set(patterns: tuple[str, ...]) -> Callable[[str], re.Match[str] | None]:
    return re.compile("|".join(fnmatch.translate(p) for p in patterns)).match


class SourceFile:
    """One file of the repository, read and parsed at most once."""

    def __init__(self, root: Path, path: str, text: str | None = None) -> None:
        self.root = root
        self.path = path
        self._text = text

    @property
    def abspath(self) -> Path:
        return self.root / self.path

    @property
    def text(self) -> str:
        if self._text is None:
            try:
                self._text = self.abspath.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                self._text = ""
        return self._text

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @cached_property
    def tree(self) -> ast.Module | None:
        """The module AST, or None when the file does not parse (ruff reports syntax errors)."""
        try:
            return ast.parse(self.text, filename=self.path)
        except (SyntaxError, ValueError):
            return None

    @cached_property
    def nodes(self) -> list[ast.AST]:
        """Every node of the tree, walked once and shared by all rules (walks dominate run time)."""
        return walk(self.tree) if self.tree is not None else []

    @cached_property
    def calls(self) -> list[ast.Call]:
        return [n for n in self.nodes if isinstance(n, ast.Call)]

    @cached_property
    def imports(self) -> ImportTable:
        """What each name is bound to by an import, per scope (see `imports`)."""
        return ImportTable(self.tree, self.path)

    @cached_property
    def classes(self) -> list[TextClass]:
        """Top-level classes found textually (no parse); see `textmodel`."""
        return text_classes(self.text, self.lines)

    def methods(
        self, name: str, only: set[str] | None = None, needles: tuple[str, ...] = ()
    ) -> list[tuple[TextClass, ast.FunctionDef | ast.AsyncFunctionDef]]:
        """Each top-level class's method `name` (of the classes in `only`, if given), parsed on its
        own (cheap) or, when the text is ambiguous, taken from the full tree."""
        found = []
        for cls in self.classes:
            line = cls.methods.get(name)
            if line is None or (only is not None and cls.name not in only):
                continue
            if needles:
                block = "\n".join(self.lines[line - 1 : block_end(self.lines, line - 1)])
                if not any(n in block for n in needles):
                    continue  # nothing this rule looks for: skip the parse
            node = parse_block(self.lines, line)
            if node is None and self.tree is not None:
                node = next(
                    (
                        n
                        for n in ast.walk(self.tree)
                        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.lineno == line
                    ),
                    None,
                )
            if node is not None:
                found.append((cls, node))
        return found

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def segment(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.text, node) or ""

    @property
    def module_dir(self) -> str | None:
        """`llama` for `src/transformers/models/llama/modeling_llama.py`; None outside a model
        package (`models/auto/` is not one)."""
        return module_of_path(self.path)


@dataclass
class CheckContext:
    """The run: where the repository is, which files are in scope, and what changed."""

    root: Path
    files: tuple[str, ...]  # in scope: posix paths relative to root
    settings: Settings
    # None: not a `--changed` run. Otherwise path -> changed line numbers (None: new file).
    changed: dict[str, set[int] | None] | None = None
    base: str | None = None
    # True when the user named no paths and did not pass --changed: the whole tree is in scope.
    whole_tree: bool = False
    run_tests: bool = False  # `--tests`: SCF401 runs the affected tests
    # A standalone package (`[tool.scaffold.standalone]`): its files match rules by their fork paths.
    standalone: StandalonePackage | None = None
    # One-line notes for the report (rules add them: "ruff 0.14.10 (the fork's pin) ran").
    notes: list[str] = field(default_factory=list)
    # The findings cache, when enabled: `fact` keeps parsed repository files across runs.
    cache: Any = field(default=None, repr=False)
    _sources: dict[str, SourceFile] = field(default_factory=dict, repr=False)
    _digests: dict[str, str] = field(default_factory=dict, repr=False)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def rule_path(self, path: str) -> str:
        """The path rules' `FILES` patterns see: a standalone package's model files as in a fork."""
        return self.standalone.fork_path(path) if self.standalone else path

    def source(self, path: str) -> SourceFile:
        """Any file of the repository (in scope or not), parsed on demand and shared."""
        if path not in self._sources:
            self._sources[path] = SourceFile(self.root, path)
        return self._sources[path]

    def exists(self, path: str) -> bool:
        return (self.root / path).is_file()

    def iter_files(self, patterns: Iterable[str], exclude: Iterable[str] = ()) -> Iterator[SourceFile]:
        patterns, exclude = tuple(patterns), tuple(exclude)
        for path in self.files:
            if matches(path, patterns) and not matches(path, exclude):
                yield self.source(path)

    @cached_property
    def facts(self) -> ForkFacts:
        """The fork-facts layer over this run's sources (parsed data cached across runs)."""

        def read(rel: str) -> str | None:
            return self.source(rel).text if self.exists(rel) else None

        return ForkFacts(self.root, read=read, store=self.cache, digest_of=lambda rel, _text: self.digest(rel))

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[no-any-return]

    def digest(self, path: str) -> str:
        if path not in self._digests:
            self._digests[path] = hashlib.blake2b((self.root / path).read_bytes(), digest_size=16).hexdigest()
        return self._digests[path]

    def cached_fact(self, path: str, name: str) -> Any:
        """A value stored by `store_fact` for this exact content of `path`, or None."""
        if self.cache is None or not self.exists(path):
            return None
        return self.cache.fact(path, self.digest(path), name)

    def store_fact(self, path: str, name: str, value: Any) -> None:
        if self.cache is not None and self.exists(path):
            self.cache.put_fact(path, self.digest(path), name, value)

    def fact(self, path: str, name: str, compute: Callable[[], T]) -> T:
        """`compute()` (a JSON-able value derived from `path` alone), memoised for this run and
        cached across runs by the file's content hash: the hook run skips re-parsing
        `modeling_auto.py` and friends."""

        def load() -> T:
            if self.cache is None or not self.exists(path):
                return compute()
            value = self.cached_fact(path, name)
            if value is None:
                value = compute()
                self.store_fact(path, name, value)
            return value  # type: ignore[no-any-return]

        return self.memo(f"fact:{path}:{name}", load)

    # --- changes -------------------------------------------------------------------------
    def is_changed(self, path: str) -> bool:
        return self.changed is not None and path in self.changed

    def is_new(self, path: str) -> bool:
        return self.changed is not None and path in self.changed and self.changed[path] is None

    def changed_lines(self, path: str) -> set[int] | None:
        """Changed line numbers of `path`; None when the file is new or the run has no diff."""
        if self.changed is None:
            return None
        return self.changed.get(path, set())

    # --- models --------------------------------------------------------------------------
    def target_models(self) -> list[str]:
        """Model packages (module names under models/) that this run is about.

        A whole-tree run targets every package; otherwise the packages that hold a file in scope.
        """
        models_root = self.root / MODELS_DIR
        if self.whole_tree:
            if not models_root.is_dir():
                return []
            return sorted(self.facts.model_modules)
        found = {s for s in (SourceFile(self.root, f).module_dir for f in self.files) if s}
        return sorted(m for m in found if is_model_package(m) and (models_root / m / "__init__.py").is_file())

    def new_models(self) -> list[str]:
        """Packages whose `__init__.py` is new in this change (only known in `--changed` runs)."""
        if self.changed is None:
            return []
        return sorted(
            p.split("/")[3]
            for p, lines in self.changed.items()
            if lines is None
            and p.startswith(MODELS_DIR + "/")
            and p.endswith("/__init__.py")
            and p.count("/") == 4
            and is_model_package(p.split("/")[3])
        )

    def model_files(self, module: str, prefix: str) -> list[SourceFile]:
        """`configuration_*.py`, `modeling_*.py`, ... files of one model package (in or out of scope)."""
        folder = self.root / MODELS_DIR / module
        if not folder.is_dir():
            return []
        return [self.source(f"{MODELS_DIR}/{module}/{p.name}") for p in sorted(folder.glob(f"{prefix}*.py"))]
