"""Pre-flight checks of `scaffold new-model`: each raises a one-line `UserError` with the fix."""

from __future__ import annotations

import ast
import datetime as dt
import os
import re
from functools import cache
from pathlib import Path

import yaml

from transformers_scaffold.errors import StageError, UserError
from transformers_scaffold.facts import Entry, layout
from transformers_scaffold.fork import Fork
from transformers_scaffold.names import ModelNames
from transformers_scaffold.plan import Plan

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PARTIALS = "_partials"  # the templates' shared pieces (`{% include "_partials/..." %}`), never rendered alone
MAX_FREE_TEXT = 200


def check_collisions(fork: Fork, names: ModelNames) -> None:
    facts = fork.facts
    if names.model_type in facts.config_mapping:
        raise UserError(
            f"model type {names.model_type!r} already exists in CONFIG_MAPPING_NAMES; pick another name or remove it first"
        )
    clash = {names.module, names.model_type.replace("-", "_")} & facts.model_modules
    if clash:
        raise UserError(
            f"module transformers.models.{clash.pop()} already exists; pick another name or remove it first"
        )
    for suffix in ("Config", "Model", "PreTrainedModel", "ForCausalLM", "ForMaskedLM"):
        if names.camel + suffix in facts.registered_classes:
            raise UserError(f"class {names.camel + suffix} already exists in the fork; pick another name")
    for key, module in facts.special_module_names.items():
        if module == names.module and key != names.model_type:
            raise UserError(f"module name {names.module!r} already belongs to model type {key!r}; pick another name")


AUTO_FILES = ("auto_mappings.py", "configuration_auto.py", "modeling_auto.py", "tokenization_auto.py")


def check_auto_files_parse(fork: Fork) -> None:
    """The auto files we read and edit are valid Python; else one line naming the file and line."""
    for name in AUTO_FILES:
        rel = f"src/transformers/models/auto/{name}"
        text = fork.read(rel)
        if text is None:
            continue
        try:
            compile(text, rel, "exec", dont_inherit=True, flags=ast.PyCF_ONLY_AST)
        except SyntaxError as exc:
            raise UserError(
                f"{rel} does not parse ({exc.msg}, line {exc.lineno}); fix it or restore it with `git checkout -- {rel}`"
            ) from None


def check_writable(fork: Fork, plan: Plan) -> None:
    """Every directory the plan writes into (and the journal's) is writable; else one line, exit 2."""
    from transformers_scaffold.journal import journal_dir

    targets = [fork.path(change.path) for change in plan] + [journal_dir(fork.root)]
    seen: set[Path] = set()
    for target in targets:
        existing = target if target.exists() and not target.is_dir() else target.parent
        while not existing.exists():
            existing = existing.parent
        for path in {existing, target} if target.exists() else {existing}:
            if path in seen:
                continue
            seen.add(path)
            if not os.access(path, os.W_OK):
                shown = path.relative_to(fork.root) if path.is_relative_to(fork.root) else path
                raise UserError(
                    f"{fork.root} is not writable ({shown} is read-only); make it writable or pass --repo to a writable clone"
                )


def check_date(text: str) -> None:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"--date {text!r} is not a date; use YYYY-MM-DD") from None


def check_free_text(label: str, text: str) -> None:
    if not text.strip():
        raise UserError(f"{label} is empty; pass a value or leave the option out")
    if len(text) > MAX_FREE_TEXT:
        raise UserError(f"{label} is longer than {MAX_FREE_TEXT} characters; shorten it")
    if any(ch in text for ch in "\n\r\t\0") or "{{" in text or "{%" in text or '"""' in text:
        raise UserError(f"{label} contains control characters, template markers or triple quotes; use plain text")


def resolve_tokenizer(fork: Fork, model_type: str) -> Entry:
    """The tokenizer of an existing model type (`--tokenizer TYPE`): its mapping entry, so the new
    model registers exactly the same value (guards included)."""
    facts = fork.facts
    if model_type in facts.tokenizer_mapping and facts.tokenizer_mapping[model_type].classes:
        return facts.tokenizer_mapping[model_type]
    if model_type not in facts.config_mapping:
        raise UserError(
            f"--tokenizer {model_type!r} is not a model type of this fork; pass an existing one such as llama"
        )
    module = facts.module_of(model_type)
    exported = facts.exports(f"{layout.model_dir(module)}/tokenization_{module}.py")
    if exported and exported[0]:
        return Entry(model_type, f'"{exported[0][0]}"', (exported[0][0],), 0)
    raise UserError(
        f"model type {model_type!r} has no tokenizer in this fork; pass --tokenizer with another model type"
    )


@cache
def _leftover_pattern() -> re.Pattern[str]:
    """A Jinja tag naming one of the templates' own variables (the questions of every
    `templates/*/copier.yml`, cookiecutter's `cookiecutter.*`): what an unrendered template leaves behind. Jinja that a copied
    source carries as data (a chat template in a configuration file) names none of them."""
    names = {"_copier_conf", "_copier_answers", "cookiecutter"}  # cookiecutter's: `{{ cookiecutter.x }}`
    for questions in sorted(TEMPLATES.glob("*/copier.yml")):
        data = yaml.safe_load(questions.read_text(encoding="utf-8")) or {}
        names |= {key for key in data if not key.startswith("_")}
    alt = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    # In a statement, a variable is a name of its own: not an attribute (`x.title`), not a Jinja
    # test (`x is mapping`).
    var = rf"(?<![.\w])(?<!is )(?<!not )(?:{alt})\b"
    partials = rf"\{{%-?\s*include\s+[\"']{PARTIALS}/"  # our templates' shared pieces
    return re.compile(
        rf"\{{\{{-?\s*(?:{alt})\b[^}}]*\}}\}}|\{{%-?\s*(?:if|elif|for|include)\b[^%]*?{var}[^%]*%\}}|{partials}"
    )


def template_leftover(text: str) -> str | None:
    """The first unrendered template tag in generated text, or None."""
    found = _leftover_pattern().search(text)
    return found[0] if found else None


def verify_plan(fork: Fork, plan: Plan) -> None:
    """The plan compiles, has no template leftovers, and touches no file with uncommitted changes."""
    for change in plan:
        if change.created and fork.path(change.path).exists():
            raise UserError(f"{change.path} already exists; remove it or pick another model name")
        if change.path.endswith(".py"):
            try:
                compile(change.new, change.path, "exec", dont_inherit=True)
            except SyntaxError as exc:
                raise StageError(
                    "verify", f"generated {change.path} does not compile: {exc.msg} (line {exc.lineno})"
                ) from exc
        leftover = template_leftover(change.new) if change.created else None
        if leftover:
            raise StageError("verify", f"generated {change.path} has an unrendered template marker {leftover!r}")
    check_writable(fork, plan)
    dirty = fork.dirty_paths([change.path for change in plan])
    if dirty:
        raise UserError(
            f"refusing to touch files with uncommitted changes: {', '.join(dirty[:3])}; commit or stash them first"
        )
