"""`scaffold new-model NAME --standalone --output DIR`: a pip-installable package for a new model.

Stages as in the fork: validate -> spec -> render -> format -> verify -> write. The model's
configuration, modeling code, efficiency tests and launcher are the copier model template's
(the same code a fork gets), with imports made absolute by a codemod; the package around them
(pyproject, the registering `__init__`, self-contained tests, docs, pre-commit) is the cookiecutter
template `templates/standalone/`; the CI workflows are `scaffold init-ci`'s. Nothing is written
until everything rendered: the package is built in a temporary sibling of DIR and renamed into
place, so a failure leaves no partial DIR.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from transformers_scaffold.codemods.absolute_imports import AbsoluteImports
from transformers_scaffold.errors import StageError, UserError
from transformers_scaffold.facts.tasks import AUTO_CLASSES, BASE_MAPPING
from transformers_scaffold.names import ModelNames, resolve_names
from transformers_scaffold.pipeline import preflight as pre
from transformers_scaffold.pipeline.render import MODEL_TEMPLATE, TEMPLATES, format_python, render_template
from transformers_scaffold.plan import Plan
from transformers_scaffold.spec import ModelSpec
from transformers_scaffold.standalone.layout import InstalledTransformers

STAGES = ("validate", "spec", "render", "format", "verify", "write")
STANDALONE_TEMPLATE = TEMPLATES / "standalone"
KINDS = ("decoder", "encoder")


@dataclass(frozen=True)
class StandaloneRequest:
    name: str
    output: Path
    template: str | None = None
    like: str | None = None
    tokenizer: str | None = None
    date: str | None = None
    dry_run: bool = False


@dataclass
class StandaloneResult:
    root: Path
    names: ModelNames
    spec: ModelSpec
    plan: Plan
    written: bool


def checkpoint(stage: str) -> None:
    """Called as each stage starts. A no-op seam: the fault-injection tests patch it to raise."""


def _validate(req: StandaloneRequest) -> tuple[ModelNames, str, Path, InstalledTransformers]:
    if req.like and req.template:
        raise UserError("--template and --like are exclusive; pass one of them")
    kind = "like" if req.like else (req.template or "decoder")
    if kind != "like" and kind not in KINDS:
        raise UserError(f"unknown template {kind!r}; choose one of: {', '.join(KINDS)}")
    names = resolve_names(req.name)
    if not names.module.isidentifier():
        raise UserError(f"{names.module!r} cannot be a Python package name; pick another model name")
    out = Path(req.output).resolve()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UserError(f"--output {req.output} exists and is not empty; pass a new or empty directory")
    if not out.parent.is_dir():
        raise UserError(f"--output {req.output}: the parent directory {out.parent} does not exist; create it first")
    if req.date is not None:
        pre.check_date(req.date)
    # The installed transformers is what the package registers into: its model types are taken.
    library = InstalledTransformers()
    if names.model_type in library.facts.config_mapping:
        raise UserError(
            f"model type {names.model_type!r} already exists in the installed transformers; pick another name"
        )
    return names, kind, out, library


def _registrations(spec: ModelSpec) -> list[list[str]]:
    """[auto class, class] for the base model and every head the facts layer knows an auto class of."""
    pairs = [["AutoModel", spec.base_class]]
    for head in spec.heads:
        for mapping in head.mappings:
            if mapping != BASE_MAPPING and mapping in AUTO_CLASSES and [AUTO_CLASSES[mapping], head.cls] not in pairs:
                pairs.append([AUTO_CLASSES[mapping], head.cls])
    return pairs


def _package_context(names: ModelNames, spec: ModelSpec, out: Path, today: dt.date) -> dict[str, Any]:
    registrations = _registrations(spec)
    primary = next((p for p in registrations if p[0] in ("AutoModelForCausalLM", "AutoModelForMaskedLM")), None)
    generator = next((p for p in registrations if p[0] == "AutoModelForCausalLM"), None)
    return {
        "project_dir": out.name,
        "package": names.module,
        "distribution": names.module.replace("_", "-"),
        "model_type": names.model_type,
        "module": names.module,
        "camel": names.camel,
        "title": names.title,
        "year": str(today.year),
        "date": today.isoformat(),
        "spec": {
            "config_class": spec.config_class,
            "model_classes": list(spec.model_classes),
            "registrations": registrations,
            # `register_for_auto_class` keeps one auto class per class (the last call wins): the first.
            "for_auto": [p for i, p in enumerate(registrations) if p[1] not in {q[1] for q in registrations[:i]}],
            "auto_classes": sorted({auto for auto, _ in registrations}),
            "primary": primary or registrations[0],
            "tokenizer_class": spec.tokenizer_class,
            # cookiecutter renders every value of a dict variable to a string: pass typed data as JSON.
            "tiny_config_json": json.dumps(spec.tiny_config, sort_keys=True),
            "generative": "yes" if spec.generative and generator else "",
            "generator": generator or ["", ""],
        },
    }


def _render_package(context: dict[str, Any]) -> dict[str, str]:
    from cookiecutter.main import cookiecutter  # type: ignore[import-untyped]

    with tempfile.TemporaryDirectory(prefix="scaffold-pkg-") as tmp:
        made = Path(cookiecutter(str(STANDALONE_TEMPLATE), no_input=True, extra_context=context, output_dir=tmp))
        return {
            p.relative_to(made).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(made.rglob("*"))
            if p.is_file()
        }


def _model_files(model_files: dict[str, str], names: ModelNames, spec: ModelSpec) -> dict[str, str]:
    """The fork template's files that a package keeps, at their package paths, imports made absolute."""
    module, pkg = names.module, names.module
    own = frozenset(spec.public_classes)
    moves = {
        f"src/transformers/models/{module}/configuration_{module}.py": f"src/{pkg}/configuration_{module}.py",
        f"src/transformers/models/{module}/modeling_{module}.py": f"src/{pkg}/modeling_{module}.py",
        f"tests/models/{module}/__init__.py": f"tests/models/{module}/__init__.py",
        f"tests/models/{module}/test_efficiency_{module}.py": f"tests/models/{module}/test_efficiency_{module}.py",
    }
    out = {"tests/models/__init__.py": ""}
    for rel, text in model_files.items():
        target = moves.get(rel) or (rel if rel.startswith(f"examples/{module}/") else None)
        if target is None:
            continue
        out[target] = AbsoluteImports(package=pkg, own=own).apply(text) if target.endswith(".py") else text
    return out


def _ci_files() -> dict[str, str]:
    from transformers_scaffold.review.init_ci import CiAnswers, render_ci

    return render_ci(CiAnswers())


def plan_standalone(req: StandaloneRequest) -> tuple[Path, ModelNames, ModelSpec, Plan]:
    checkpoint("validate")
    names, kind, out, library = _validate(req)

    checkpoint("spec")
    from transformers_scaffold.kinds import spec_for_kind
    from transformers_scaffold.pipeline.new_model import NewModelRequest, _answers

    tokenizer = pre.resolve_tokenizer(library, req.tokenizer) if req.tokenizer else None
    like_files: dict[str, str] = {}
    if kind == "like":  # copy a model of the installed transformers, renamed (never the modular path)
        from transformers_scaffold.like import plan_like

        like = plan_like(library.facts, req.like or "", names, tokenizer)
        spec, like_files = like.spec, dict(like.files)
    else:
        spec = spec_for_kind(kind, names, tokenizer)
    today = dt.date.fromisoformat(req.date) if req.date else dt.date.today()

    checkpoint("render")
    model_answers = _answers(
        NewModelRequest(name=req.name, date=today.isoformat()), library, names, kind, spec, False, False
    )
    files = _render_package(_package_context(names, spec, out, today))
    files.update(_model_files({**render_template(model_answers, MODEL_TEMPLATE), **like_files}, names, spec))
    files.update(_ci_files())

    checkpoint("format")
    with tempfile.TemporaryDirectory(prefix="scaffold-pkgcfg-") as cfg:
        Path(cfg, "pyproject.toml").write_text(files["pyproject.toml"], encoding="utf-8")
        files = format_python(files, Path(cfg))

    checkpoint("verify")
    plan = Plan()
    for rel, text in sorted(files.items()):
        plan.create(rel, text)
    for change in plan:
        if change.path.endswith(".py"):
            try:
                compile(change.new, change.path, "exec", dont_inherit=True)
            except SyntaxError as exc:
                raise StageError("verify", f"generated {change.path} does not compile: {exc.msg}") from exc
        if pre.template_leftover(change.new) and not change.path.startswith(".github/"):
            raise StageError("verify", f"generated {change.path} has an unrendered template marker")
    return out, names, spec, plan


def _write(out: Path, plan: Plan) -> None:
    """Build the package in a temporary sibling, then rename it into place (all or nothing)."""
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        checkpoint("write")
        for change in plan:
            path = staging / change.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(change.new, encoding="utf-8")
        if out.exists():
            out.rmdir()  # validated empty
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def new_standalone_model(req: StandaloneRequest) -> StandaloneResult:
    out, names, spec, plan = plan_standalone(req)
    if req.dry_run:
        return StandaloneResult(out, names, spec, plan, written=False)
    _write(out, plan)
    return StandaloneResult(out, names, spec, plan, written=True)
