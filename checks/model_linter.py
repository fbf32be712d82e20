from __future__ import annotations

import hashlib
import importlib.metadata
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.cache import file_stamp
from transformers_scaffold.checker.context import CheckContext, SourceFile, matches
from transformers_scaffold.checker.mlinter_analyze import analyze_tree
from transformers_scaffold.checker.mlinter_tables import lazy_tables
from transformers_scaffold.checker.mlinter_walkers import fast_walkers
from transformers_scaffold.checker.shared_walks import shared_walks
from transformers_scaffold.facts import layout

GENERATED = "This file was automatically generated from"


def load_mlinter() -> Any:
    """The installed `mlinter` package (transformers-mlinter), or None."""
    try:
        import mlinter  # type: ignore[import-not-found]
        import mlinter.mlinter  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        return None
    return mlinter


@cache
def linter_version() -> str | None:
    """The installed transformers-mlinter's version, read from its metadata: importing the linter
    (and `rich`) costs ~0.1 s, which a warm run whose findings are all cached never pays."""
    try:
        return importlib.metadata.version("transformers-mlinter")
    except importlib.metadata.PackageNotFoundError:
        return None


def known_codes() -> set[str]:
    """TRF codes the installed linter knows (for --select/--ignore validation)."""
    linter = load_mlinter()
    return set(linter.TRF_RULES) if linter is not None else set()


class ModelLinter(FileRule):
    """What it does
    Runs upstream's own modeling linter, `transformers-mlinter` (install the optional extra:
    `pip install "transformers-scaffold[mlinter]"`), on the model files in scope, with the fork's
    `utils/rules.toml` applied: its `default_enabled` switches and its per-model
    `allowlist_models` (read through the fork-facts layer). Each violation is reported under its
    own TRF code (`TRF011 ...`) through our reporters, our `--changed` scoping, our suppressions
    (`# scaffold: ignore[TRF011]`) and mlinter's own `# trf-ignore: TRF011`.

    Why is this bad?
    Upstream CI runs the same linter (`utils/check_modeling_structure.py`); a PR that fails it
    bounces before review. Its rules cover what ours do not: weight-init primitives, masks built
    once, the v5 forward surface, forward side effects, manual label shifting, license headers,
    bare `assert`, `register_buffer`, ...

    Example
    ```python
    class AcmePreTrainedModel(PreTrainedModel):
        base_model_prefix = ""  # TRF002
    ```

    Fix safety
    No automatic fix. Files generated from a `modular_*.py` are skipped (mlinter lints the
    modular source). It runs only where the fork ships `utils/rules.toml` (the fork opts in: the
    linter's built-in defaults do not know the debt a fork has accepted, e.g. the 5.24 sdist's own
    bert and mistral fail its TRF041/TRF028). Without the linter installed the rule is silent, and
    says so in a note when the fork ships `utils/rules.toml`; when the installed linter cannot read the fork's
    `rules.toml` (a version mismatch) the report carries one note naming both versions and the
    TRF rules are skipped. Our own rules that judge the same thing say so in their docs
    ("Overlaps mlinter's ...").
    """

    CODE = "SCF501"
    NAME = "modeling-linter"
    SUMMARY = "upstream's transformers-mlinter rules (TRF codes), with the fork's rules.toml"
    MIRRORS = "utils/check_modeling_structure.py (transformers-mlinter)"
    EMITS = "TRF"
    FILES = ("src/transformers/models/*/*.py", "tests/models/*/*.py")

    def fingerprint(self, root: Path) -> str:
        rules = root / layout.MLINTER_RULES
        digest = hashlib.blake2b(rules.read_bytes(), digest_size=8).hexdigest() if rules.is_file() else "-"
        return f"mlinter={linter_version()}:{digest}"

    def cache_key(self, root: Path, path: str) -> str:
        """mlinter reads a modeling (or modular) file's configuration file too: the content of every
        `configuration_*.py` beside it is part of the key (a superset of the linter's companions)."""
        name = path.rsplit("/", 1)[-1]
        if linter_version() is None or not name.startswith(("modeling_", "modular_")):
            return self.CODE
        h = hashlib.blake2b(digest_size=8)
        for companion in sorted((root / path).parent.glob("configuration_*.py")):
            try:
                h.update(companion.name.encode() + b"\0" + companion.read_bytes())
            except OSError:
                continue
        return f"{self.CODE}@{h.hexdigest()}"

    def preflight(self, ctx: CheckContext) -> None:
        version = linter_version()
        if version is None:
            if ctx.exists(layout.MLINTER_RULES) and any(f.startswith(layout.MODELS_DIR + "/") for f in ctx.files):
                ctx.notes.append(
                    "transformers-mlinter is not installed: upstream's TRF rules did not run "
                    '(pip install "transformers-scaffold[mlinter]")'
                )
            return
        problem = self._problem(ctx, version)
        if problem:
            rules_version = getattr(ctx.facts.mlinter_rules, "version", None)
            ctx.notes.append(
                f"transformers-mlinter {version} cannot use {layout.MLINTER_RULES} (version {rules_version}): "
                f"{problem}; TRF rules skipped (install the transformers-mlinter version the fork pins)"
            )

    @staticmethod
    def _problem(ctx: CheckContext, version: str) -> str | None:
        """`_rules_problem`, kept in the findings cache as a fact of `rules.toml`'s content and the
        linter's version, so a warm run does not import the linter to re-learn it."""
        if not ctx.exists(layout.MLINTER_RULES):
            return None
        stamp = file_stamp(ctx.root / layout.MLINTER_RULES)
        digest = ctx.cache.digest(layout.MLINTER_RULES) if ctx.cache is not None else None
        name = f"mlinter-problem:{version}"
        if digest is not None:
            cached = ctx.cache.fact(layout.MLINTER_RULES, digest, name)
            if cached is not None:
                return cached[0]  # type: ignore[no-any-return]
        problem = _rules_problem(*stamp)
        if digest is not None:
            ctx.cache.put_fact(layout.MLINTER_RULES, digest, name, [problem])
        return problem

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        if not (source.root / layout.MLINTER_RULES).is_file():
            return  # the fork opts in with its rules.toml: the linter's defaults are not its accepted debt
        linter = load_mlinter()
        path = source.path
        if linter is None:
            return
        parts = path.split("/")
        in_models = path.startswith(layout.MODELS_DIR + "/") and len(parts) == 5
        in_tests = path.startswith(layout.TESTS_MODELS_DIR + "/") and len(parts) == 4
        patterns = linter.mlinter.MODELING_PATTERNS if in_models else linter.mlinter.TEST_PATTERNS
        if not (in_models or in_tests) or not matches(parts[-1], patterns):
            return
        tree = source.tree
        if tree is None or GENERATED in source.text[:1024]:
            return  # a file that does not parse is SCF003's
        lazy_tables(linter)  # TRF011/TRF020 parse one model's configuration, not every model's
        fast_walkers(linter)  # TRF021's recursive generators as loops
        stamp = file_stamp(source.root / layout.MLINTER_RULES)
        if _rules_problem(*stamp):
            return  # the preflight note says why
        enabled, allow = _activate(*stamp)
        model = parts[3] if in_models else parts[2]
        with shared_walks():
            violations = analyze_tree(linter, tree, source.abspath, source.text, source.lines, enabled)
        for violation in violations:
            code = violation.rule_id or "TRF000"
            if model in allow.get(code, ()):
                continue  # the fork's allowlist_models (applied here: mlinter matches paths from the cwd)
            message = " ".join(str(violation.message).split())
            message = message.removeprefix(f"{code}:").strip() or code
            yield Finding(
                code,
                path,
                max(1, int(violation.line_number)),
                f"{code} {message}",
                name=f"mlinter-{code.lower()}",
                severity=self.SEVERITY,
                fix=f"mlinter --rule {code} explains it; `# trf-ignore: {code}` or `# scaffold: ignore[{code}]` "
                "suppresses it",
            )


@cache
def _rules_problem(rules_toml: str, size: int, mtime: int) -> str | None:
    """Why the installed linter cannot load the fork's rules file (None: it can, or there is none)."""
    linter = load_mlinter()
    if linter is None or not Path(rules_toml).is_file():
        return None
    try:
        linter.mlinter._load_rule_specs(Path(rules_toml))
        # Activation also matches the linter's own rule modules against the file's specs (a newer
        # linter ships rules an older rules.toml does not list: "Missing rule spec ...").
        _ACTIVE.clear()
        _activate(rules_toml, size, mtime)  # and leaves it active for the files to lint
    except (ValueError, OSError) as exc:
        _ACTIVE.clear()  # the registry may be half-switched: `_activate` starts again next time
        return " ".join(str(exc).split())[:200]
    return None


_ACTIVE: dict[str, object] = {}


def _activate(rules_toml: str, size: int, mtime: int) -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """Switch mlinter (in this process) to the fork's rules file, unless it is the active one
    already; its enabled rules and allowlists."""
    stamp = (rules_toml, size, mtime)
    if _ACTIVE.get("stamp") != stamp:
        linter = load_mlinter()
        module = linter.mlinter
        if Path(rules_toml).is_file():
            module._activate_rule_registry(Path(rules_toml))
        else:
            module._activate_rule_registry(module.DEFAULT_RULE_SPECS_PATH)
        allow = {code: tuple(sorted(models)) for code, models in module.TRF_MODEL_DIR_ALLOWLISTS.items()}
        _ACTIVE.update(stamp=stamp, value=(frozenset(module.DEFAULT_ENABLED_TRF_RULES), allow))
    return _ACTIVE["value"]  # type: ignore[return-value]
