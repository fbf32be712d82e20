"""`scaffold new-model`: the orchestrator. Each stage is a small function; nothing touches the
fork before `_write`, and `_write` runs inside a transaction that rolls everything back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from transformers_scaffold.errors import StageError, UserError
from transformers_scaffold.fork import Fork
from transformers_scaffold.names import ModelNames, resolve_names
from transformers_scaffold.pipeline import preflight as pre
from transformers_scaffold.pipeline.render import format_python, render_template
from transformers_scaffold.plan import Plan
from transformers_scaffold.spec import ModelSpec
from transformers_scaffold.support import require_supported
from transformers_scaffold.transaction import transaction

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


def _validate(req: NewModelRequest) -> tuple[Fork, ModelNames, str]:
    if req.template and req.like:
        raise UserError("--template and --like are exclusive; pass one of them")
    kind = "like" if req.like else (req.template or "decoder")
    if kind not in (*KINDS, "like"):
        raise UserError(f"unknown template {kind!r}; choose one of: {', '.join(KINDS)} (or --like MODEL_TYPE)")
    names = resolve_names(req.name)
    fork = Fork.locate(req.repo)
    require_supported(kind, fork.version)
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

        like = plan_like(fork.facts, req.like or "", names, tokenizer)
        spec, like_files, render_tests, modular = like.spec, dict(like.files), like.render_tests, like.modular
    else:
        from transformers_scaffold.kinds import spec_for_kind

        spec = spec_for_kind(kind, names, tokenizer, fork.facts.pipeline_test_tasks)

    checkpoint("render")
    files = {**render_template(_answers(req, fork, names, kind, spec, modular, render_tests)), **like_files}

    checkpoint("format")
    # On the modular path the converter writes (and formats) the modeling files itself, after
    # the write stage; everything planned here (modular file, tests, examples) is ours to format.
    files = format_python(files, fork.root)

    checkpoint("register")
    from transformers_scaffold.codemods.registration import plan_registration

    edits = plan_registration(fork.facts, names, spec)

    checkpoint("verify")
    plan = Plan()
    for rel, text in files.items():
        plan.create(rel, text)
    for path, new in edits.items():  # keyed by absolute path under the fork
        rel = Path(path).relative_to(fork.root).as_posix()
        old = fork.read(rel)
        if old is None:
            plan.create(rel, new)
        else:
            plan.edit(rel, old, new)
    pre.verify_plan(fork, plan)
    return fork, names, spec, plan, modular


def _write(fork: Fork, names: ModelNames, plan: Plan, modular: bool) -> list[str]:
    converted: list[str] = []
    with transaction(fork.root) as txn:
        checkpoint("write")
        for change in plan:
            txn.write(change.path, change.new)
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


def new_model(req: NewModelRequest) -> NewModelResult:
    fork, names, spec, plan, modular = plan_new_model(req)
    if req.dry_run:
        return NewModelResult(fork.root, names, spec, plan, written=False, modular=modular)
    converted = _write(fork, names, plan, modular)
    return NewModelResult(fork.root, names, spec, plan, written=True, converted=converted, modular=modular)
