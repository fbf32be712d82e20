"""Render the model template straight into a fork, and register the model by hand (tests only).

This bypasses the `scaffold new-model` pipeline on purpose: the template tests check what the
partials generate, independently of the planner and of the libcst registration codemods. The
registration here is a minimal text insert at the top of each mapping, enough for the Auto classes
and the common tests to find the model; the real, sorted, idempotent edit lives in the codemods.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import copier

import transformers_scaffold
from transformers_scaffold.kinds import spec_for_kind
from transformers_scaffold.names import ModelNames, resolve_names
from transformers_scaffold.spec import ModelSpec

# Through the package's `templates` link, as the installed generator reads it.
TEMPLATE_DIR = Path(transformers_scaffold.__file__).parent / "templates" / "model"
AUTO_DIR = Path("src/transformers/models/auto")


@dataclass(frozen=True)
class Rendered:
    names: ModelNames
    spec: ModelSpec

    @property
    def package(self) -> Path:
        return Path("src/transformers/models") / self.names.module

    @property
    def files(self) -> list[Path]:
        """Paths (relative to the fork) of every generated source, test and doc file."""
        module = self.names.module
        return [
            self.package / "__init__.py",
            self.package / f"configuration_{module}.py",
            self.package / f"modeling_{module}.py",
            Path("tests/models") / module / "__init__.py",
            Path("tests/models") / module / f"test_modeling_{module}.py",
            Path("docs/source/en/model_doc") / f"{self.names.model_type}.md",
        ]


def answers(kind: str, names: ModelNames, spec: ModelSpec) -> dict[str, object]:
    return {
        "kind": kind,
        **names.as_answers(),
        "title": names.title,
        "date": "2026-11-27",
        "year": 2026,
        "tokenizer_class": spec.tokenizer_class,
        "spec": spec.to_answers(),
    }


def render(fork: Path, kind: str, raw_name: str) -> Rendered:
    """Render `kind` for `raw_name` into `fork` (files only, no registration)."""
    names = resolve_names(raw_name)
    spec = spec_for_kind(kind, names)
    copier.run_copy(
        str(TEMPLATE_DIR),
        str(fork),
        data=answers(kind, names, spec),
        defaults=True,
        unsafe=True,
        quiet=True,
        overwrite=True,
    )
    return Rendered(names, spec)


def _insert_first(path: Path, mapping: str, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    match = re.search(rf"^{mapping} = OrderedDict(?:\[[^\]]*\])?\(\n    \[\n", text, flags=re.M)
    if match is None:
        raise AssertionError(f"{mapping} not found in {path}")
    path.write_text(text[: match.end()] + line + text[match.end() :], encoding="utf-8")


def register(fork: Path, rendered: Rendered) -> None:
    """Add the model to the config, model, head and tokenizer mappings of `fork`."""
    names, spec = rendered.names, rendered.spec
    auto = fork / AUTO_DIR
    key = names.model_type
    _insert_first(auto / "auto_mappings.py", "CONFIG_MAPPING_NAMES", f'        ("{key}", "{spec.config_class}"),\n')
    for mapping, cls in spec.registrations():
        _insert_first(auto / "modeling_auto.py", mapping, f'        ("{key}", "{cls}"),\n')
    tokenizer = f'        ("{key}", "{spec.tokenizer_class}" if is_tokenizers_available() else None),\n'
    _insert_first(auto / "tokenization_auto.py", "TOKENIZER_MAPPING_NAMES", tokenizer)


def scaffold(fork: Path, kind: str, raw_name: str) -> Rendered:
    """Render and register: the state `scaffold new-model` leaves the fork in."""
    rendered = render(fork, kind, raw_name)
    register(fork, rendered)
    return rendered
