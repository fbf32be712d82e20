"""`scaffold new-pipeline TASK` in a fork: validate -> spec -> render -> format -> register -> verify -> write.

Nothing touches the fork before `write`, which runs inside a transaction that rolls every file
back on any error, Ctrl-C or SIGTERM (the same machinery as `new-model`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from transformers_scaffold.errors import UserError
from transformers_scaffold.facts import ForkFacts
from transformers_scaffold.facts.layout import MODELS_DIR
from transformers_scaffold.facts.pipeline_tables import (
    MODELING_AUTO,
    PIPELINES_INIT,
    read_auto_classes,
    read_task_table,
)
from transformers_scaffold.fork import Fork
from transformers_scaffold.newpipeline.names import TaskNames, resolve_task
from transformers_scaffold.newpipeline.registration import plan_pipeline_registration
from transformers_scaffold.newpipeline.spec import (
    DEFAULT_AUTO_CLASS,
    PipelineSpec,
    check_auto_class,
    check_type,
    output_kind,
    parse_default_model,
    pick_reference,
)
from transformers_scaffold.pipeline import preflight as pre
from transformers_scaffold.pipeline.render import TEMPLATES, format_python, render_template
from transformers_scaffold.plan import Plan
from transformers_scaffold.transaction import transaction

STAGES = ("validate", "spec", "render", "format", "register", "verify", "write")
PIPELINE_TEMPLATE = TEMPLATES / "pipeline"
PIPELINES_DIR = "src/transformers/pipelines"


@dataclass(frozen=True)
class NewPipelineRequest:
    task: str
    repo: Path | None = None
    model_class: str | None = None
    input_type: str = "text"
    default_model: str | None = None
    date: str | None = None
    dry_run: bool = False


@dataclass
class NewPipelineResult:
    root: Path
    spec: PipelineSpec
    plan: Plan
    written: bool


def checkpoint(stage: str) -> None:
    """Called as each stage starts. A no-op seam: the fault-injection tests patch it to raise."""


def _validate(req: NewPipelineRequest) -> tuple[Fork, ForkFacts, TaskNames, str, str, tuple[str, str] | None]:
    names = resolve_task(req.task)
    input_type = check_type(req.input_type)
    default_model = parse_default_model(req.default_model) if req.default_model else None
    if req.date is not None:
        pre.check_date(req.date)
    fork = Fork.locate(req.repo)
    facts = fork.facts
    if not facts.supported_tasks:
        raise UserError(f"no SUPPORTED_TASKS in {PIPELINES_INIT}; --repo must point at a Transformers v5 fork")
    if names.task in facts.supported_tasks:
        raise UserError(f"task {names.task!r} is already in SUPPORTED_TASKS; pick another task name")
    # Aliases, removed tasks and the lazy-import table are not in the facts layer yet: task_table reads them.
    table = read_task_table(fork.read(PIPELINES_INIT) or "")
    if not table.pipeline_classes:
        raise UserError(
            f"{PIPELINES_INIT} has no _PIPELINE_CLASS_TO_MODULE table (an older fork that imports pipelines "
            "eagerly); new-pipeline writes the lazy layout of transformers 5.24, so rebase the fork first"
        )
    why = table.taken(names.task)
    if why:
        raise UserError(f"task {names.task!r} {why}; pick another task name")
    if names.class_name in table.pipeline_classes:
        raise UserError(f"class {names.class_name} already exists in {PIPELINES_INIT}; pick another task name")
    if fork.path(f"{PIPELINES_DIR}/{names.module}.py").exists():
        raise UserError(f"{PIPELINES_DIR}/{names.module}.py already exists; pick another task name")
    auto_class = req.model_class or DEFAULT_AUTO_CLASS[input_type]
    return fork, facts, names, input_type, auto_class, default_model


def _reference(facts: ForkFacts, mapping_names: str, needs_pad: bool) -> dict:
    """The tiny model the generated test builds: a registered model type of the auto class."""
    from transformers_scaffold.like.tiny import config_fields, tiny_config

    for model_type in pick_reference(list(facts.model_mappings.get(mapping_names, {}))):
        config_class = facts.config_mapping.get(model_type)
        module = facts.module_of(model_type)
        text = facts.read(f"{MODELS_DIR}/{module}/configuration_{module}.py")
        if not config_class or not text:
            continue
        fields = config_fields(text, config_class)
        if "hidden_size" not in fields and "d_model" not in fields:
            continue
        return {"import_from": "transformers", "config_class": config_class, "tiny": tiny_config(fields, needs_pad)}
    raise UserError(
        f"no model type with a readable config is registered in {mapping_names}; register a model for it first"
    )


def plan_new_pipeline(req: NewPipelineRequest) -> tuple[Fork, PipelineSpec, Plan]:
    checkpoint("validate")
    fork, facts, names, input_type, auto_class, default_model = _validate(req)

    checkpoint("spec")
    mapping_names = check_auto_class(auto_class, read_auto_classes(facts.read(MODELING_AUTO) or ""))
    output = output_kind(auto_class)
    spec = PipelineSpec(
        names=names,
        input_type=input_type,
        auto_class=auto_class,
        mapping=mapping_names.removesuffix("_NAMES"),
        output=output,
        default_model=default_model,
        reference=_reference(facts, mapping_names, needs_pad=output != "generic"),
    )

    checkpoint("render")
    today = dt.date.fromisoformat(req.date) if req.date else dt.date.today()
    files = render_template(spec.answers(today.isoformat(), today.year), PIPELINE_TEMPLATE)
    if fork.path("tests/pipelines/__init__.py").exists():
        files.pop("tests/pipelines/__init__.py", None)

    checkpoint("format")
    files = format_python(files, fork.root)

    checkpoint("register")
    edits = plan_pipeline_registration(spec, fork.read)

    checkpoint("verify")
    plan = Plan.of(files, edits, fork.read)
    pre.verify_plan(fork, plan)
    return fork, spec, plan


def new_pipeline(req: NewPipelineRequest) -> NewPipelineResult:
    fork, spec, plan = plan_new_pipeline(req)
    if req.dry_run:
        return NewPipelineResult(fork.root, spec, plan, written=False)
    with transaction(fork.root) as txn:
        checkpoint("write")
        for change in plan:
            txn.write(change.path, change.new)
    return NewPipelineResult(fork.root, spec, plan, written=True)
