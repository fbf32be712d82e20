"""Run the catalogue over a repository: scope, cache, parallel file rules, suppressions, fixes.

The runner is the only part that imports `transformers_scaffold.checks` (the catalogue); rules
never import the runner.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from transformers_scaffold.checker import gitutil
from transformers_scaffold.checker.api import FileRule, Finding, Rule
from transformers_scaffold.checker.cache import REPOSITORY, FindingsCache, code_fingerprint
from transformers_scaffold.checker.context import CheckContext, SourceFile, matches
from transformers_scaffold.checker.fixes import apply_fixes
from transformers_scaffold.checker.settings import Settings, load_settings, validate
from transformers_scaffold.checker.suppression import Suppressions
from transformers_scaffold.errors import UserError
from transformers_scaffold.facts.standalone import PYPROJECT, StandalonePackage, read_standalone

# Below this many uncached files, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 150
MAX_FIX_ROUNDS = 3
GC_EVERY = 200  # files between two collections in a worker


def all_rules() -> list[type[Rule]]:
    from transformers_scaffold.checks import RULES

    return list(RULES)


@dataclass
class CheckOptions:
    root: Path
    paths: Sequence[str] = ()
    changed: bool = False
    base: str | None = None
    select: tuple[str, ...] | None = None  # None: from settings
    ignore: tuple[str, ...] | None = None
    fix: bool = False
    use_cache: bool = True
    jobs: int | None = None
    tests: bool = False


@dataclass
class Report:
    findings: list[Finding]
    rules: list[type[Rule]]
    files: int
    timings: dict[str, float] = field(default_factory=dict)
    fixed: int = 0
    root: Path | None = None
    context: CheckContext | None = None
    # One-line notes about the run (which ruff ran, a linter version mismatch): every reporter shows them.
    notes: list[str] = field(default_factory=list)


def _scope(
    root: Path, opts: CheckOptions, settings: Settings
) -> tuple[tuple[str, ...], dict[str, set[int] | None] | None, list[str] | None]:
    """The files in scope, the changed lines (`--changed`), and every file of the tree when the
    whole tree was listed (before `exclude`: rules may read excluded files)."""
    changed = gitutil.changed(root, opts.base) if opts.changed or opts.base else None
    rels: list[str] = []
    for raw in opts.paths:
        path = Path(raw)
        path = path if path.is_absolute() else (Path.cwd() / path)
        try:
            rel = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError as exc:
            raise UserError(f"{raw} is outside the repository {root}; pass paths inside it or use --repo") from exc
        if not path.exists():
            raise UserError(f"{raw} does not exist; pass existing files or directories")
        rels.append("" if rel == "." else rel)
    listed = None
    if changed is not None:
        files = list(changed)
    elif rels and all((root / r).is_file() for r in rels):
        files = rels
    else:
        files = listed = gitutil.list_files(root)
    if rels:
        files = [f for f in files if any(f == r or not r or f.startswith(r.rstrip("/") + "/") for r in rels)]
    files = [f for f in files if not matches(f, settings.exclude)]
    return tuple(sorted(set(files))), changed, listed


def _standalone(root: Path) -> StandalonePackage | None:
    path = root / PYPROJECT
    return read_standalone(path.read_text(encoding="utf-8")) if path.is_file() else None


def _file_worker(
    root: str, settings: Settings, items: list[tuple[str, list[str]]]
) -> list[tuple[str, str, list[dict[str, Any]], float]]:
    rules = {r.CODE: r(settings) for r in all_rules()}
    out = []
    # Thousands of short-lived ASTs: the cyclic collector's passes over them cost ~10 % of the
    # run and find nothing (trees hold no cycles); collect between files instead.
    gc.disable()
    for index, (path, codes) in enumerate(items):
        if index % GC_EVERY == GC_EVERY - 1:
            gc.collect()
            # What survives (the linter's per-directory tables, the facts) is long-lived: frozen,
            # the next collections do not walk it again (they cost ~14 % of a worker's time).
            gc.freeze()
        source = SourceFile(Path(root), path)
        for code in codes:
            start = time.perf_counter()
            found = [f.to_cache() for f in rules[code].check_file(source)]  # type: ignore[attr-defined]
            out.append((path, code, found, time.perf_counter() - start))
    return out


def _run_file_rules(
    ctx: CheckContext,
    rules: list[FileRule],
    cache: FindingsCache,
    jobs: int,
    timings: dict[str, float],
    meanwhile: Callable[[], None] = lambda: None,
) -> list[Finding]:
    """Cached findings for unchanged files; the rest in worker processes (or in-process when
    few). `meanwhile` runs in this process while the workers are busy (the repository rules)."""
    findings: list[Finding] = []
    todo: dict[str, list[str]] = defaultdict(list)
    digests: dict[str, str] = {}
    keys: dict[tuple[str, str], str] = {}  # a rule's cache key for a file (its code, plus companions)
    # Rules share their pattern sets (a dozen among fifty rules): one answer per set and file.
    scopes = [(tuple(r.FILES), tuple(r.EXCLUDE)) for r in rules]
    for path in ctx.files:
        view = ctx.rule_path(path)
        answers: dict[tuple[tuple[str, ...], tuple[str, ...]], bool] = {}
        wanted = []
        for rule, scope in zip(rules, scopes, strict=True):
            inside = answers.get(scope)
            if inside is None:
                inside = answers[scope] = matches(view, scope[0]) and not matches(view, scope[1])
            if inside:
                wanted.append(rule)
        if not wanted:
            continue
        digest = cache.digest(path)
        if digest is None:
            continue
        digests[path] = digest
        for rule in wanted:
            key = keys[(path, rule.CODE)] = rule.cache_key(ctx.root, path)
            hit = cache.get(path, digests[path], key)
            if hit is None:
                todo[path].append(rule.CODE)
            else:
                findings.extend(Finding.from_json(d) for d in hit)
    items = sorted(todo.items())
    results: list[tuple[str, str, list[dict[str, Any]], float]] = []
    if jobs > 1 and len(items) >= PARALLEL_MIN_FILES:
        chunks = [items[i :: jobs * 4] for i in range(jobs * 4)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(_file_worker, str(ctx.root), ctx.settings, chunk) for chunk in chunks]
            meanwhile()
            for future in futures:
                results.extend(future.result())
    else:
        by_code = {r.CODE: r for r in rules}
        for path, codes in items:
            source = ctx.source(path)
            for code in codes:
                start = time.perf_counter()
                found = [f.to_cache() for f in by_code[code].check_file(source)]
                results.append((path, code, found, time.perf_counter() - start))
        meanwhile()
    for path, code, found, seconds in results:
        cache.put(path, digests[path], keys[(path, code)], found)
        findings.extend(Finding.from_json(d) for d in found)
        timings[code] = timings.get(code, 0.0) + seconds
    return findings


def _in_change(ctx: CheckContext, rule: type[Rule], finding: Finding) -> bool:
    """In `--changed` runs, line-scoped findings in pre-existing files must touch a changed line."""
    if ctx.changed is None or rule.SCOPE == "file" or finding.path not in ctx.changed:
        return True
    lines = ctx.changed[finding.path]
    if lines is None:
        return True  # a new file: everything in it is the change
    return any(n in lines for n in range(finding.line, finding.last_line + 1))


def _suppressed(ctx: CheckContext, finding: Finding) -> bool:
    for pattern, codes in ctx.settings.per_file_ignores.items():
        if matches(finding.path, (pattern,)) and any(finding.code.startswith(c) for c in codes):
            return True
    if not ctx.exists(finding.path):
        return False
    sup = ctx.memo(f"suppressions:{finding.path}", lambda: Suppressions(ctx.source(finding.path).text))
    return sup.suppressed(finding.code, finding.line, finding.last_line)


def _emitter(classes: list[type[Rule]], code: str) -> type[Rule] | None:
    """The rule that reports findings under foreign codes (mlinter's TRF codes) of this prefix."""
    return next((r for r in classes if r.EMITS and code.startswith(r.EMITS)), None)


def _wanted(settings: Settings, rule: type[Rule], code: str) -> bool:
    """A foreign-code finding: ignored by its own code; selected by its code or its rule's."""
    if any(code.startswith(p) for p in settings.ignore):
        return False
    return not settings.select or any(code.startswith(p) or rule.CODE.startswith(p) for p in settings.select)


def _quietly(prefetch: Callable[[CheckContext], None], ctx: CheckContext) -> None:
    """A prefetch that fails leaves its memo unset: the rule's `check` redoes the work in the main
    thread and raises there (a one-line error, never a thread traceback)."""
    try:
        prefetch(ctx)
    except Exception:  # noqa: BLE001 - re-raised by the rule's own check
        return


def run_once(opts: CheckOptions, rule_classes: list[type[Rule]] | None = None) -> Report:
    root = opts.root.resolve()
    if not root.is_dir():
        raise UserError(f"--repo {opts.root}: not a directory; pass the root of a Transformers checkout")
    settings = load_settings(root)
    validate(settings, all_rules())  # the file's own values, before the command line replaces any
    if opts.select is not None:
        settings.select = opts.select
    if opts.ignore is not None:
        settings.ignore = opts.ignore
    classes = [
        r
        for r in (rule_classes or all_rules())
        if settings.enabled(r.CODE) or (r.EMITS and any(p.startswith(r.EMITS) for p in settings.select))
    ]
    files, changed, listed = _scope(root, opts, settings)
    whole = not opts.paths and changed is None
    ctx = CheckContext(
        root=root,
        files=files,
        settings=settings,
        changed=changed,
        base=opts.base,
        whole_tree=whole,
        run_tests=opts.tests,
        standalone=_standalone(root),
    )
    jobs = opts.jobs or min(4, os.cpu_count() or 1)
    instances = [cls(settings) for cls in classes]
    file_rules = [r for r in instances if isinstance(r, FileRule)]
    extra = "".join(r.fingerprint(root) for r in instances)  # e.g. the linter's version and rules.toml
    cache = FindingsCache(root, code_fingerprint(repr(settings) + extra), enabled=opts.use_cache)
    ctx.cache = cache if opts.use_cache else None
    timings: dict[str, float] = {}
    for rule in file_rules:
        rule.preflight(ctx)
    repo_rules: list[Rule] = [
        r for r in instances if not isinstance(r, FileRule) and not (r.NEEDS_CHANGES and changed is None)
    ]
    repo_findings: list[Finding] = []
    # Whole-tree runs: a repository rule's findings (and notes) are cached under the digest of
    # every file of the tree, so an untouched tree re-runs none of them.
    tree = cache.tree_digest(listed) if whole and opts.use_cache and listed is not None else None
    if tree is not None:
        fresh: list[Rule] = []
        for repo_rule in repo_rules:
            hit = cache.get(REPOSITORY, tree, repo_rule.CODE)
            if hit is None:
                fresh.append(repo_rule)
                continue
            repo_findings.extend(Finding.from_json(d) for d in hit if "note" not in d)
            ctx.notes.extend(str(d["note"]) for d in hit if "note" in d)
        repo_rules = fresh
    # Notes the repository rules add (their prefetch threads too) are cached with their findings.
    notes_start = len(ctx.notes)
    # External tools (ruff) run in threads while the file rules use the processes.
    threads = [threading.Thread(target=_quietly, args=(r.prefetch, ctx), daemon=True) for r in repo_rules]
    for thread in threads:
        thread.start()

    def run_repo_rules() -> None:
        # Rules with a prefetch (ruff) go last, so their external process has had the most time.
        repo_rules.sort(key=lambda r: type(r).prefetch is not Rule.prefetch)
        for rule in repo_rules:
            if type(rule).prefetch is not Rule.prefetch:
                for thread in threads:
                    thread.join()
            start = time.perf_counter()
            found = list(rule.check(ctx))
            repo_findings.extend(found)
            timings[rule.CODE] = timings.get(rule.CODE, 0.0) + time.perf_counter() - start
            if tree is not None:
                notes = [{"note": n} for n in dict.fromkeys(ctx.notes[notes_start:])]
                cache.put(REPOSITORY, tree, rule.CODE, [f.to_cache() for f in found] + notes)

    findings = _run_file_rules(ctx, file_rules, cache, jobs, timings, meanwhile=run_repo_rules)
    findings += repo_findings
    cache.save()
    by_code = {r.CODE: r for r in classes}
    kept = []
    for finding in findings:
        owner = by_code.get(finding.code) or _emitter(classes, finding.code)
        if owner is None or (finding.code != owner.CODE and not _wanted(settings, owner, finding.code)):
            continue
        if _in_change(ctx, owner, finding) and not _suppressed(ctx, finding):
            kept.append(finding.with_rule(owner) if not finding.name else finding)
    unique = sorted(set(kept), key=lambda f: f.sort_key)
    notes = sorted(set(ctx.notes))
    return Report(
        findings=unique, rules=classes, files=len(files), timings=timings, root=root, context=ctx, notes=notes
    )


def run_check(opts: CheckOptions, rule_classes: list[type[Rule]] | None = None) -> Report:
    """Check, and with `opts.fix` repair what is fixable and check again (at most a few rounds)."""
    report = run_once(opts, rule_classes)
    if not opts.fix:
        return report
    fixed = 0
    for _ in range(MAX_FIX_ROUNDS):
        fixable = [f for f in report.findings if f.can_fix]
        if not fixable:
            break
        assert report.context is not None
        fixed += apply_fixes(report.context, report.rules, fixable)
        report = run_once(opts, rule_classes)
    report.fixed = fixed
    return report
