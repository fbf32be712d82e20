"""`ForkFacts`: every fact about a Transformers fork, read statically and cached by file content.

The one place that parses a fork's auto mappings, toctree, version, `__all__`s, pipeline tables
and conventions. It never imports the fork. Readers are pluggable (`Reader`: a posix path relative to
the root -> text or None), so the generator reads the disk and the checker reads through its parsed
sources; an optional `FactStore` (the checker's findings cache) keeps the parsed data across runs,
keyed by each file's content hash, and an in-process cache shares it between instances.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

from transformers_scaffold.facts import conventions, layout, mappings, parsers, tasks, testers, toctree
from transformers_scaffold.facts.exports import read_all
from transformers_scaffold.facts.layout import Version
from transformers_scaffold.facts.mappings import Entry

Reader = Callable[[str], "str | None"]
_PARSED: OrderedDict[tuple[str, str], Any] = OrderedDict()  # (parser name, content digest) -> data
_PARSED_MAX = 256


class FactStore(Protocol):
    def fact(self, path: str, digest: str, name: str) -> Any: ...

    def put_fact(self, path: str, digest: str, name: str, value: Any) -> None: ...


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def disk_reader(root: Path) -> Reader:
    def read(rel: str) -> str | None:
        path = root / rel
        try:
            return path.read_text(encoding="utf-8") if path.is_file() else None
        except (OSError, UnicodeDecodeError):
            return None

    return read


class ForkFacts:
    """The facts of the fork at `root`. Properties are computed once per instance."""

    def __init__(
        self,
        root: Path,
        read: Reader | None = None,
        store: FactStore | None = None,
        digest_of: Callable[[str, str], str] | None = None,
    ) -> None:
        self.root = Path(root)
        self._read = read or disk_reader(self.root)
        self.store = store
        # (path, text) -> content key; a store that already keys files by its own hash passes its own,
        # so the facts it keeps and the entries it keeps for the same file never evict each other.
        self._digest_of = digest_of or (lambda _rel, text: digest(text))
        self._texts: dict[str, str | None] = {}
        self._memo: dict[tuple[str, str], Any] = {}

    # --- reading ---------------------------------------------------------------------------
    def read(self, rel: str | Path) -> str | None:
        key = Path(rel).as_posix() if isinstance(rel, Path) else rel
        if key not in self._texts:
            self._texts[key] = self._read(key)
        return self._texts[key]

    def has(self, rel: str) -> bool:
        return (self.root / rel).is_file()

    def derived(self, rel: str, name: str, parse: Callable[[str], Any]) -> Any:
        """`parse(text of rel)`, once per content: memoised here, in-process, and in the store."""
        key = (rel, name)
        if key in self._memo:
            return self._memo[key]
        text = self.read(rel)
        if text is None:
            value = None
        else:
            value = self._parsed(rel, name, text, parse)
        self._memo[key] = value
        return value

    def _parsed(self, rel: str, name: str, text: str, parse: Callable[[str], Any]) -> Any:
        content = self._digest_of(rel, text)
        cache_key = (name, content)
        if cache_key in _PARSED:
            _PARSED.move_to_end(cache_key)
            return _PARSED[cache_key]
        value = self.store.fact(rel, content, name) if self.store is not None else None
        if value is None:
            value = parse(text)
            if self.store is not None and value is not None:
                self.store.put_fact(rel, content, name, value)
        _PARSED[cache_key] = value
        while len(_PARSED) > _PARSED_MAX:
            _PARSED.popitem(last=False)
        return value

    # --- version and layout ----------------------------------------------------------------
    @cached_property
    def version_raw(self) -> str | None:
        return layout.read_version(self.read(layout.TRANSFORMERS_INIT) or "")

    @cached_property
    def version(self) -> Version | None:
        return Version.parse(self.version_raw) if self.version_raw else None

    @cached_property
    def model_modules(self) -> frozenset[str]:
        """Model packages under `models/` (folders with an `__init__.py`; `auto` and friends excluded)."""
        folder = self.root / layout.MODELS_DIR
        if not folder.is_dir():
            return frozenset()
        return frozenset(
            p.name
            for p in folder.iterdir()
            if p.is_dir() and layout.is_model_package(p.name) and (p / "__init__.py").is_file()
        )

    # --- auto mappings ---------------------------------------------------------------------
    def file_mappings(self, rel: str) -> dict[str, dict]:
        """The mappings one auto file defines or extends (empty when absent or unparsable)."""

        def parse(text: str) -> dict[str, dict]:
            try:
                return mappings.parse_mappings(text)
            except SyntaxError:
                return {}

        return self.derived(rel, "mappings", parse) or {}

    def mapping_error(self) -> str | None:
        """A one-line description of the first auto file that does not parse, if any."""
        for rel in layout.AUTO_FILES:
            text = self.read(rel)
            if text is None:
                continue
            try:
                compile(text, rel, "exec", dont_inherit=True, flags=0x400)  # PyCF_ONLY_AST
            except SyntaxError as exc:
                return f"{rel} does not parse ({exc.msg}, line {exc.lineno})"
        return None

    def mapping(self, name: str) -> list[Entry]:
        """Every entry of mapping `name`, across the auto files in order (definitions, then extensions)."""
        found: list[Entry] = []
        for rel in layout.AUTO_FILES:
            data = self.file_mappings(rel).get(name)
            if data is not None:
                found += mappings.entries_of(data, rel)
        return found

    def mapping_dict(self, name: str) -> dict[str, Entry]:
        """`mapping(name)` as a dict; a later entry of a key wins (what `dict.update` does at import)."""
        return {entry.key: entry for entry in self.mapping(name)}

    def mapping_names(self, rel: str) -> list[str]:
        return list(self.file_mappings(rel))

    def defining_file(self, name: str) -> str | None:
        """The auto file that assigns `name` its literal list (where a new entry is inserted)."""
        for rel in layout.AUTO_FILES:
            data = self.file_mappings(rel).get(name)
            if data is not None and data["defines"]:
                return rel
        return None

    @cached_property
    def config_mapping_file(self) -> str:
        """5.24 generates CONFIG_MAPPING_NAMES into auto_mappings.py; older trees keep it in configuration_auto.py."""
        return self.defining_file("CONFIG_MAPPING_NAMES") or layout.CONFIGURATION_AUTO

    @cached_property
    def config_mapping(self) -> dict[str, str]:
        """model_type -> config class."""
        return {k: e.first for k, e in self.mapping_dict("CONFIG_MAPPING_NAMES").items() if e.first}

    @cached_property
    def special_module_names(self) -> dict[str, str]:
        return {k: e.first for k, e in self.mapping_dict("SPECIAL_MODEL_TYPE_TO_MODULE_NAME").items() if e.first}

    def module_of(self, model_type: str) -> str:
        return self.special_module_names.get(model_type, model_type.replace("-", "_"))

    def types_of_module(self, module: str) -> list[str]:
        return [t for t in self.config_mapping if self.module_of(t) == module]

    @cached_property
    def model_mappings(self) -> dict[str, dict[str, list[str]]]:
        """Every `*_MAPPING_NAMES` of modeling_auto.py: mapping -> model type -> class names."""
        out: dict[str, dict[str, list[str]]] = {}
        for name in self.mapping_names(layout.MODELING_AUTO):
            if name.endswith("MAPPING_NAMES"):
                table: dict[str, list[str]] = {}
                for entry in self.mapping(name):
                    table.setdefault(entry.key, []).extend(entry.classes)
                out[name] = table
        return out

    def mapped_classes(self, name: str) -> frozenset[str]:
        return frozenset(c for classes in self.model_mappings.get(name, {}).values() for c in classes)

    def registrations_of(self, model_type: str) -> dict[str, tuple[str, ...]]:
        """class -> the modeling mappings that register it for `model_type`."""
        found: dict[str, list[str]] = {}
        for name, table in self.model_mappings.items():
            for cls in table.get(model_type, []):
                found.setdefault(cls, []).append(name)
        return {cls: tuple(names) for cls, names in found.items()}

    @cached_property
    def tokenizer_mapping(self) -> dict[str, Entry]:
        """model_type -> its TOKENIZER_MAPPING_NAMES entry (source and classes)."""
        return self.mapping_dict("TOKENIZER_MAPPING_NAMES")

    @cached_property
    def registered_classes(self) -> frozenset[str]:
        """Every class name the config and modeling mappings know."""
        classes = set(self.config_mapping.values())
        for table in self.model_mappings.values():
            for names in table.values():
                classes.update(names)
        return frozenset(classes)

    # --- modules ---------------------------------------------------------------------------
    def exports(self, rel: str) -> tuple[list[str], int] | None:
        """`__all__` of a module and its line."""
        data = self.derived(rel, "all", lambda text: list(read_all(text) or ()) or None)
        return (list(data[0]), int(data[1])) if data else None

    @cached_property
    def documented_config_args(self) -> frozenset[str]:
        """Field names that `@auto_docstring` documents for configs (class `ConfigArgs` of utils/auto_docstring.py)."""
        return frozenset(self.derived(layout.AUTO_DOCSTRING, "config_args", parsers.config_args) or ())

    # --- docs ------------------------------------------------------------------------------
    @cached_property
    def toctree(self) -> list[toctree.TocEntry] | None:
        """Entries of docs/source/en/_toctree.yml; None when absent or unreadable."""
        data = self.derived(layout.TOCTREE, "toctree", toctree.parse_toctree)
        return toctree.entries_of(data) if data is not None else None

    def section_of(self, local: str) -> str | None:
        """Title of the section listing `local` (e.g. where `--like` takes its modality from)."""
        return next((e.path[-1] for e in self.toctree or () if e.local == local and e.path), None)

    # --- pipelines -------------------------------------------------------------------------
    @cached_property
    def pipeline_test_tasks(self) -> frozenset[str] | None:
        """Task names the fork's PipelineTesterMixin knows (None when the fork has no such file)."""
        data = self.derived(layout.PIPELINE_TEST_MIXIN, "pipeline_test_mapping", parsers.pipeline_test_keys)
        return frozenset(data) if data is not None else None

    def pipeline_tasks_for(self, mapping_names: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        return tasks.pipeline_tasks(mapping_names, self.pipeline_test_tasks)

    @cached_property
    def supported_tasks(self) -> dict[str, dict[str, Any]]:
        """`SUPPORTED_TASKS` of pipelines/__init__.py: task -> {"impl", "pt" (Auto class names), "type"}."""
        return self.derived(layout.PIPELINES_INIT, "supported_tasks", parsers.supported_tasks) or {}

    # --- tests -----------------------------------------------------------------------------
    @cached_property
    def tester_helpers(self) -> dict[str, tuple[str, str]]:
        """Upstream's shared tester helpers the fork ships: module path -> (tester class, test class).

        Only pairs whose both classes the file defines; `{}` for the PyPI sdist (it has none)."""
        found: dict[str, tuple[str, str]] = {}
        for rel, pair in testers.HELPERS.items():
            classes = self.derived(rel, "top_level_classes", testers.top_level_classes) or []
            if all(name in classes for name in pair):
                found[rel] = pair
        return found

    # --- conventions -----------------------------------------------------------------------
    @cached_property
    def date_line(self) -> conventions.DateLine:
        def parse(text: str) -> dict[str, str] | None:
            line = conventions.read_date_line(text)
            return {"regex": line.regex, "template": line.template, "source": line.source} if line else None

        data = self.derived(layout.ADD_DATES, "date_line", parse)
        return conventions.DateLine(**data) if data else conventions.DateLine()

    @cached_property
    def config_attribute_allowlist(self) -> conventions.ConfigAttributeAllowlist:
        values = (
            self.derived(
                layout.CHECK_CONFIG_ATTRIBUTES,
                "config_attribute_lists",
                lambda text: conventions.literal_assignments(text, conventions.CONFIG_ATTRIBUTE_LISTS),
            )
            or {}
        )
        per_class = values.get("SPECIAL_CASES_TO_ALLOW", {})
        everywhere = values.get("ATTRIBUTES_TO_ALLOW", ())
        return conventions.ConfigAttributeAllowlist(
            per_class=per_class if isinstance(per_class, dict) else {},
            everywhere=tuple(str(v) for v in everywhere) if isinstance(everywhere, (list, tuple)) else (),
        )

    @cached_property
    def config_docstring_ignores(self) -> frozenset[str]:
        values = (
            self.derived(
                layout.CHECK_CONFIG_DOCSTRINGS,
                "config_docstring_lists",
                lambda text: conventions.literal_assignments(text, conventions.CONFIG_DOCSTRING_LISTS),
            )
            or {}
        )
        return frozenset(str(v) for v in values.get("CONFIG_CLASSES_TO_IGNORE_FOR_DOCSTRING_CHECKPOINT_CHECK", ()))

    @cached_property
    def check_repo_lists(self) -> dict[str, frozenset[str]]:
        values = (
            self.derived(
                layout.CHECK_REPO,
                "check_repo_lists",
                lambda text: conventions.literal_assignments(text, conventions.CHECK_REPO_LISTS),
            )
            or {}
        )
        return {
            name: frozenset(str(v) for v in values.get(name, ()) if isinstance(v, str))
            for name in conventions.CHECK_REPO_LISTS
        }

    @cached_property
    def check_repo_ignored_modules(self) -> frozenset[str]:
        """Modeling modules `utils/check_repo.py` never looks at (`get_model_modules`'s `_ignore_modules`)."""
        values = (
            self.derived(
                layout.CHECK_REPO,
                "check_repo_ignored_modules",
                lambda text: conventions.function_lists(text, "get_model_modules", ("_ignore_modules",)),
            )
            or {}
        )
        return frozenset(str(v) for v in values.get("_ignore_modules", ()) if isinstance(v, str))

    @cached_property
    def undocumented_prefixes(self) -> tuple[str, ...]:
        """Name prefixes `utils/check_repo.py` exempts from documentation (`ignore_undocumented`)."""
        found = self.derived(
            layout.CHECK_REPO,
            "undocumented_prefixes",
            lambda text: list(conventions.startswith_exemptions(text, "ignore_undocumented")),
        )
        return tuple(found or ())

    @cached_property
    def ruff_pin(self) -> str:
        """The ruff version the fork pins (setup.py, then pyproject.toml); 5.24's when it pins none."""
        return (
            conventions.read_ruff_pin(self.read(layout.SETUP_PY), self.read(layout.PYPROJECT))
            or conventions.DEFAULT_RUFF
        )

    @cached_property
    def ruff_targets(self) -> tuple[str, ...] | None:
        """The paths `make style` runs ruff on (`RUFF_TARGETS` of utils/checkers.py); None without one."""
        values = (
            self.derived(
                layout.CHECKERS, "ruff_targets", lambda text: conventions.literal_assignments(text, ("RUFF_TARGETS",))
            )
            or {}
        )
        targets = values.get("RUFF_TARGETS")
        if not isinstance(targets, (list, tuple)) or not targets:
            return None
        return tuple(str(t).strip("/") for t in targets if isinstance(t, str))

    @cached_property
    def mlinter_rules(self) -> conventions.MlinterRules | None:
        text = self.read(layout.MLINTER_RULES)
        return conventions.read_mlinter_rules(text) if text else None
