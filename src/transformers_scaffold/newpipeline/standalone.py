"""`scaffold new-pipeline TASK --standalone`: a pipeline task in a package made by `new-model --standalone`.

Same stages as in a fork. The pipeline class, its tests and its doc page come from the same
copier template (`standalone: true` paths and absolute imports); registration is one codemod on
the package's `__init__.py` (`PIPELINE_REGISTRY.register_pipeline`). Tasks of the installed
transformers are taken; the generated test builds a tiny model of the package's own model.
"""

from __future__ import annotations

import ast
import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

from transformers_scaffold.codemods.pipeline_registration import AddPipelineRegistration
from transformers_scaffold.errors import StageError, UserError
from transformers_scaffold.facts.pipeline_tables import (
    MODELING_AUTO,
    PIPELINES_INIT,
    read_auto_classes,
    read_task_table,
)
from transformers_scaffold.newpipeline.fork_plan import PIPELINE_TEMPLATE, NewPipelineResult
from transformers_scaffold.newpipeline.names import resolve_task
from transformers_scaffold.newpipeline.spec import (
    DEFAULT_AUTO_CLASS,
    PipelineSpec,
    check_auto_class,
    check_type,
    output_kind,
    parse_default_model,
)
from transformers_scaffold.pipeline import preflight as pre
from transformers_scaffold.pipeline.render import format_python, render_template
from transformers_scaffold.plan import Plan
from transformers_scaffold.standalone.layout import InstalledTransformers, Package, locate_package
from transformers_scaffold.transaction import transaction

STAGES = ("validate", "spec", "render", "format", "register", "verify", "write")


@dataclass(frozen=True)
class StandalonePipelineRequest:
    task: str
    root: Path | None = None
    model_class: str | None = None
    input_type: str = "text"
    default_model: str | None = None
    date: str | None = None
    dry_run: bool = False


def checkpoint(stage: str) -> None:
    """Called as each stage starts. A no-op seam: the fault-injection tests patch it to raise."""


def _config_class(pkg: Package) -> tuple[str, str]:
    """(class name, source) of the package's config: the class whose `model_type` is the package's."""
    rel = f"{pkg.src}/configuration_{pkg.module}.py"
    text = pkg.read(rel) or ""
    for node in ast.parse(text).body if text else []:
        if isinstance(node, ast.ClassDef):
            for stmt in node.body:
                value = stmt.value if isinstance(stmt, (ast.Assign, ast.AnnAssign)) else None
                if isinstance(value, ast.Constant) and value.value == pkg.model_type:
                    return node.name, text
    raise UserError(f"{rel}: no config class with model_type {pkg.model_type!r}; is this the package root?")


def _reference(pkg: Package, needs_pad: bool) -> dict:
    from transformers_scaffold.like.tiny import config_fields, tiny_config

    config_class, text = _config_class(pkg)
    return {
        "import_from": pkg.package,
        "config_class": config_class,
        "tiny": tiny_config(config_fields(text, config_class), needs_pad),
    }


def plan_standalone_pipeline(req: StandalonePipelineRequest) -> tuple[Package, PipelineSpec, Plan]:
    checkpoint("validate")
    names = resolve_task(req.task)
    input_type = check_type(req.input_type)
    default_model = parse_default_model(req.default_model) if req.default_model else None
    if req.date is not None:
        pre.check_date(req.date)
    pkg = locate_package(req.root)
    library = InstalledTransformers().facts
    if names.task in library.supported_tasks:
        raise UserError(f"task {names.task!r} is already a task of the installed transformers; pick another name")
    why = read_task_table(library.read(PIPELINES_INIT) or "").taken(names.task)
    if why:
        raise UserError(f"task {names.task!r} {why} of the installed transformers; pick another task name")
    target = f"{pkg.src}/pipeline_{names.module}.py"
    if (pkg.root / target).exists():
        raise UserError(f"{target} already exists; pick another task name")

    checkpoint("spec")
    auto_class = req.model_class or DEFAULT_AUTO_CLASS[input_type]
    mapping_names = check_auto_class(auto_class, read_auto_classes(library.read(MODELING_AUTO) or ""))
    output = output_kind(auto_class)
    spec = PipelineSpec(
        names=names,
        input_type=input_type,
        auto_class=auto_class,
        mapping=mapping_names.removesuffix("_NAMES"),
        output=output,
        default_model=default_model,
        reference=_reference(pkg, needs_pad=output != "generic"),
    )

    checkpoint("render")
    today = dt.date.fromisoformat(req.date) if req.date else dt.date.today()
    files = render_template(spec.answers(today.isoformat(), today.year, True, pkg.package), PIPELINE_TEMPLATE)

    checkpoint("format")
    files = format_python(files, pkg.root)

    checkpoint("register")
    init_rel = f"{pkg.src}/__init__.py"
    init = pkg.read(init_rel) or ""
    new_init = AddPipelineRegistration(
        task=names.task,
        class_name=names.class_name,
        module=f"pipeline_{names.module}",
        auto_class=auto_class,
        type=input_type,
        filename=init_rel,
    ).apply(init)
    new_init = format_python({init_rel: new_init}, pkg.root)[init_rel]

    checkpoint("verify")
    plan = Plan()
    for rel, text in files.items():
        plan.create(rel, text)
    plan.edit(init_rel, init, new_init)
    for change in plan:
        if change.created and (pkg.root / change.path).exists():
            raise UserError(f"{change.path} already exists; remove it or pick another task name")
        if change.path.endswith(".py"):
            try:
                compile(change.new, change.path, "exec", dont_inherit=True)
            except SyntaxError as exc:
                raise StageError("verify", f"generated {change.path} does not compile: {exc.msg}") from exc
    _refuse_dirty(pkg.root, [change.path for change in plan if not change.created])
    return pkg, spec, plan


def _refuse_dirty(root: Path, paths: list[str]) -> None:
    """In a git work tree, refuse to edit files with uncommitted changes (outside one, nothing to check)."""
    try:
        proc = subprocess.run(["git", "status", "--porcelain", "--", *paths], cwd=root, capture_output=True, text=True)
    except FileNotFoundError:
        return
    if proc.returncode != 0:
        return  # not a git repository
    dirty = [line[3:] for line in proc.stdout.splitlines() if line.strip()]
    if dirty:
        raise UserError(f"refusing to touch files with uncommitted changes: {', '.join(dirty[:3])}; commit them first")


def new_standalone_pipeline(req: StandalonePipelineRequest) -> NewPipelineResult:
    pkg, spec, plan = plan_standalone_pipeline(req)
    if req.dry_run:
        return NewPipelineResult(pkg.root, spec, plan, written=False)
    with transaction(pkg.root) as txn:
        checkpoint("write")
        for change in plan:
            txn.write(change.path, change.new)
    return NewPipelineResult(pkg.root, spec, plan, written=True)
