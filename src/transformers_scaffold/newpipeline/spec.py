"""What a new pipeline is made of, decided before anything is rendered: `PipelineSpec`.

The input type picks the preprocessor (tokenizer, image processor, feature extractor,
processor); the auto class picks the post-processing (`classification` for `...ForXClassification`
heads with `config.id2label`, `token` for per-token heads, `generic` otherwise) and the
`MODEL_FOR_..._MAPPING` the generated test declares. The generated test builds a tiny model of a
reference model type registered for that auto class (its config read statically, shrunk by
`like.tiny`), so it needs no Hub access.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from transformers_scaffold.errors import UserError
from transformers_scaffold.newpipeline.names import TaskNames

TYPES = ("text", "image", "audio", "multimodal")
DEFAULT_AUTO_CLASS = {
    "text": "AutoModelForSequenceClassification",
    "image": "AutoModelForImageClassification",
    "audio": "AutoModelForAudioClassification",
    "multimodal": "AutoModelForImageTextToText",
}
# Model types the generated test prefers as its tiny reference, when registered for the auto class.
PREFERRED_REFERENCES = ("bert", "distilbert", "roberta", "llama", "gpt2", "vit", "wav2vec2", "clip")
_HUB_REPO = re.compile(r"^[A-Za-z0-9][\w.-]{0,95}/[\w.-]{1,96}$")
_REVISION = re.compile(r"^[\w.-]{1,64}$")


@dataclass(frozen=True)
class PipelineSpec:
    names: TaskNames
    input_type: str
    auto_class: str
    mapping: str  # MODEL_FOR_X_MAPPING (the lazy mapping behind auto_class)
    output: str
    default_model: tuple[str, str] | None = None
    reference: dict[str, Any] = field(default_factory=dict)

    @property
    def impl(self) -> str:
        return f"transformers.pipelines.{self.names.module}.{self.names.class_name}"

    def answers(self, date: str, year: int, standalone: bool = False, package: str = "") -> dict[str, Any]:
        repo, revision = self.default_model or ("", "main")
        return {
            **self.names.as_answers(),
            "input_type": self.input_type,
            "auto_class": self.auto_class,
            "mapping": self.mapping,
            "output": self.output,
            "default_model": repo,
            "default_revision": revision,
            "date": date,
            "year": year,
            "standalone": standalone,
            "package": package,
            "reference": self.reference,
        }


def check_type(input_type: str) -> str:
    if input_type not in TYPES:
        raise UserError(f"unknown --type {input_type!r}; choose one of: {', '.join(TYPES)}")
    return input_type


def output_kind(auto_class: str) -> str:
    if auto_class.endswith("TokenClassification") or auto_class.endswith("AudioFrameClassification"):
        return "token"
    if auto_class.endswith("Classification") and not auto_class.endswith("ZeroShotImageClassification"):
        return "classification"
    return "generic"


def check_auto_class(auto_class: str, known: dict[str, str]) -> str:
    """The `..._MAPPING_NAMES` dict behind `auto_class`; `UserError` naming close matches when unknown."""
    if auto_class in known:
        return known[auto_class]
    import difflib

    close = difflib.get_close_matches(auto_class, list(known), n=3) or sorted(known)[:3]
    raise UserError(
        f"unknown auto class {auto_class!r}: not an AutoModel* class of this fork's modeling_auto.py; "
        f"pass one such as {', '.join(close)}"
    )


def parse_default_model(text: str) -> tuple[str, str]:
    """`org/name` or `org/name@revision` -> (repo, revision)."""
    repo, _, revision = text.partition("@")
    revision = revision or "main"
    if not _HUB_REPO.match(repo) or not _REVISION.match(revision):
        raise UserError(f"--default-model {text!r} is not a Hub repo id; use ORG/NAME or ORG/NAME@REVISION")
    return repo, revision


def pick_reference(model_types: list[str]) -> list[str]:
    """Candidate reference model types, preferred ones first, then the mapping's order."""
    preferred = [t for t in PREFERRED_REFERENCES if t in model_types]
    return preferred + [t for t in model_types if t not in preferred]
