"""`scaffold new-model`: the orchestrator. Each stage is a small function; nothing touches the
fork before `_write`, and `_write` runs inside a transaction that rolls everything back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from transformers_scaffold.errors import StageError, UserError
from transformers_scaffold.fork import Fork
from transformers_scaffold.names import ModelNames, resolve_names
from transformers_scaffold.pipeline import preflight as pre
from transformers_scaffold.pipeline.render import format_python, render_template
from transformers_scaffold.pipeline.upstream import upstream_omits, upstream_tester
from transformers_scaffold.plan import Plan
from transformers_scaffold.spec import ModelSpec
from transformers_scaffold.support import require_supported
from transformers_scaffold.transaction import check_pending, recover_pending, transaction

PROFILES = ("fork", "upstream")


STAGES = ("validate", "spec", "render", "format", "register", "verify", "write", "convert")
KINDS = ("decoder", "encoder")


@dataclass(frozen=True)
class NewModelRequest:
    name: str
    repo: Path | None = None
    template: str | None = None
    like: str | None = None
    tokenizer: str | None = None
    paper_name: str | None = None
    checkpoint: str | None = None
    date: str | None = None
    dry_run: bool = False
    # For benchmarks/like_sweep.py: the fork's transformers is importable in this process, so the
    # tiny config is shrunk here and the caller verifies the import itself (no child processes).
    fork_in_process: bool = False
    profile: str = "fork"  # "upstream": what an upstream PR takes (see pipeline/upstream.py)


@dataclass
class NewModelResult:
    fork: Path
    names: ModelNames
    spec: ModelSpec
    plan: Plan
    written: bool
    converted: list[str] = field(default_factory=list)
    modular: bool = False


def checkpoint(stage: str) -> None:
    """Called as each stage starts. A no-op seam: the fault-injection tests patch it to raise."""


def _check_options(req: NewModelRequest) -> None:
    """An option given with an empty value is a mistake, never a request for the default."""
    for label, value in (
        ("NAME", req.name), ("--template", req.template), ("--like", req.like), ("--tokenizer", req.tokenizer),
        ("--repo", None if req.repo is None else str(req.repo)), ("--date", req.date),
    ):  # fmt: skip
        if value is not None and not value.strip():
            raise UserError(f"{label} is empty; pass a value or leave the option out")


def recover_interrupted(fork: Fork, dry_run: bool = False) -> str | None:
    """Undo what an interrupted earlier run left in `fork`; the one line that says so, or None."""
    found = check_pending(fork.root)
    if found is None:
        return None
    if dry_run:
        raise UserError(
            f"an earlier scaffold run in {fork.root} was interrupted and left {found.changes} changes; "
            "run `scaffold new-model --recover` to restore the fork first"
        )
    recover_pending(fork.root)
    if found.committed:
        return None
    return (
        f"note: an earlier scaffold run (pid {found.pid}) was interrupted; restored the fork as it was before it "
        f"({found.changes} files)"
    )


def _validate(req: NewModelRequest) -> tuple[Fork, ModelNames, str]:
    _check_options(req)
    if req.profile not in PROFILES:
        raise UserError(f"unknown --profile {req.profile!r}; choose one of: {', '.join(PROFILES)}")
    if req.template and req.like:
        raise UserError("--template and --like are exclusive; pass one of them")
    kind = "like" if req.like is not None else (req.template or "decoder")
    if kind not in (*KINDS, "like"):
        raise UserError(f"unknown template {kind!r}; choose one of: {', '.join(KINDS)} (or --like MODEL_TYPE)")
    names = resolve_names(req.name)
    fork = Fork.locate(req.repo)
    note = recover_interrupted(fork, req.dry_run)
    if note:
        print(note, file=sys.stderr)
    require_supported(kind, fork.version)
    pre.check_auto_files_parse(fork)
    pre.check_collisions(fork, names)
    if req.date is not None:
        pre.check_date(req.date)
    for label, text in (("--paper-name", req.paper_name), ("--checkpoint", req.checkpoint)):
        if text is not None:
            pre.check_free_text(label, text)
    return fork, names, kind


def _answers(
    req: NewModelRequest,
    fork: Fork,
    names: ModelNames,
    kind: str,
    spec: ModelSpec,
    modular: bool,
    render_tests: bool,
) -> dict:
    today = dt.date.fromisoformat(req.date) if req.date else dt.date.today()
    answers = {
        "kind": kind,
        **names.as_answers(),
        "title": names.title,
        "date": today.isoformat(),
        "date_line": fork.facts.date_line.render(today.isoformat()),
        "year": today.year,
        "tokenizer_class": spec.tokenizer_class,
        "modular": modular,
        "with_tests": render_tests,
        "source_model_type": spec.source_model_type,
        "spec": spec.to_answers(),
        # The upstream profile's decoder tests subclass the fork's own helpers, where it ships them.
        "upstream_tester": list((req.profile == "upstream" and upstream_tester(fork.facts, spec)) or ()),
    }
    if req.paper_name:
        answers["paper_name"] = req.paper_name
    if req.checkpoint:
        answers["checkpoint"] = req.checkpoint
    return answers


def plan_new_model(req: NewModelRequest) -> tuple[Fork, ModelNames, ModelSpec, Plan, bool]:
    """Every stage up to and including verify: the full plan, computed without writing."""
    checkpoint("validate")
    fork, names, kind = _validate(req)

    checkpoint("spec")
    like_files: dict[str, str] = {}
    render_tests, modular = True, False
    tokenizer = pre.resolve_tokenizer(fork, req.tokenizer) if req.tokenizer else None
    if kind == "like":
        from transformers_scaffold.like import plan_like

        like = plan_like(fork.facts, req.like or "", names, tokenizer, in_process=req.fork_in_process)
        spec, like_files, render_tests, modular = like.spec, dict(like.files), like.render_tests, like.modular
        if like.model_type and like.model_type != names.model_type:  # a sub-model source (`--like gemma3_text`)
            names = dataclasses.replace(names, model_type=like.model_type)
            pre.check_collisions(fork, names)
    else:
        from transformers_scaffold.kinds import spec_for_kind

        spec = spec_for_kind(kind, names, tokenizer, fork.facts.pipeline_test_tasks)

    checkpoint("render")
    files = {**render_template(_answers(req, fork, names, kind, spec, modular, render_tests)), **like_files}

    if req.profile == "upstream":
        files = {path: text for path, text in files.items() if not upstream_omits(path, names.module)}

    checkpoint("format")
    # On the modular path the converter writes (and formats) the modeling files itself, after
    # the write stage; everything planned here (modular file, tests, examples) is ours to format.
    files = format_python(files, fork.root)

    checkpoint("register")
    from transformers_scaffold.codemods.registration import plan_registration

    edits = plan_registration(fork.facts, names, spec)
    if kind == "like" and spec.source_model_type in fork.facts.config_mapping:
        # The fork's own conventions: the source's config-attribute allowlist entry carries over.
        from transformers_scaffold.like.conventions import allowlist_edits

        source_config = fork.facts.config_mapping[spec.source_model_type]
        for rel, text in allowlist_edits(fork.facts, source_config, spec.config_class).items():
            edits[fork.root / rel] = text

    checkpoint("verify")
    # `edits` is keyed by absolute path under the fork.
    relative = {Path(path).relative_to(fork.root).as_posix(): new for path, new in edits.items()}
    plan = Plan.of(files, relative, fork.read)
    pre.verify_plan(fork, plan)
    if kind == "like" and not modular and not req.dry_run and not req.fork_in_process:
        # The copy must import and build through every Auto class before anything is written. (On
        # the modular path the converter writes the modeling files, so there is nothing to import yet.)
        from transformers_scaffold.pipeline.verify_import import verify_import

        verify_import(fork.root, names.module, names.model_type, spec, plan)
    return fork, names, spec, plan, modular


def _write(fork: Fork, names: ModelNames, plan: Plan, modular: bool) -> list[str]:
    converted: list[str] = []
    with transaction(fork.root) as txn:
        checkpoint("write")
        # New files first, edits of existing files (the registries) last: a run cut short never
        # leaves a mapping that names a package which does not exist yet.
        for change in sorted(plan, key=lambda c: not c.created):
            txn.write(change.path, change.new)
            checkpoint(f"write:{change.path}")
        checkpoint("convert")
        if modular:
            from transformers_scaffold.like import run_modular_converter

            try:
                produced = run_modular_converter(fork.root, names.module)
            except StageError:
                raise
            except Exception as exc:  # the converter is the fork's code: any crash is a stage failure
                raise StageError("convert", f"{type(exc).__name__}: {exc}") from exc
            txn.adopt_new_files(produced)
            converted = [p.relative_to(fork.root).as_posix() for p in produced]
    return converted


def new_model(req: NewModelRequest, confirm: Callable[[Plan], bool] | None = None) -> NewModelResult:
    """Plan, then write (after `confirm(plan)` says yes, when given: the interactive mode)."""
    fork, names, spec, plan, modular = plan_new_model(req)
    if req.dry_run or (confirm is not None and not confirm(plan)):
        return NewModelResult(fork.root, names, spec, plan, written=False, modular=modular)
    converted = _write(fork, names, plan, modular)
    return NewModelResult(fork.root, names, spec, plan, written=True, converted=converted, modular=modular)
