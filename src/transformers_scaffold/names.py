"""Model names in every casing, derived from what the user typed.

`my-model`, `my_model` and `MyModel` all resolve to module `my_model`, classes `MyModel*` and
constants `MY_MODEL`; the model type is kept as given when it is lower-case (hyphens included,
like upstream's `xlm-roberta`), and snake-cased when given in CamelCase.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

from transformers_scaffold.errors import UserError

_CAMEL_SPLIT = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_LOWER_FORM = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")
_CAMEL_FORM = re.compile(r"^[A-Z][A-Za-z0-9]*$")
MAX_LENGTH = 64


@dataclass(frozen=True)
class ModelNames:
    """Every spelling of one model's name that generated code and registrations use."""

    model_type: str  # "my-model": the key in CONFIG_MAPPING_NAMES, as given
    module: str  # "my_model": the package under transformers/models/
    camel: str  # "MyModel": class prefix
    upper: str  # "MY_MODEL": constants

    @property
    def title(self) -> str:
        """A human title for docs, e.g. "My Model" (upstream titles the toctree by it)."""
        return " ".join(part.capitalize() for part in self.module.split("_"))

    def as_answers(self) -> dict[str, str]:
        return {"model_type": self.model_type, "module": self.module, "camel": self.camel, "upper": self.upper}


def _words_of(raw: str) -> list[str]:
    if _LOWER_FORM.match(raw):
        return re.split(r"[-_]", raw)
    if _CAMEL_FORM.match(raw):
        return [w.lower() for w in _CAMEL_SPLIT.split(raw)]
    raise UserError(
        f"invalid model name {raw!r}: use lower-case words joined by '-' or '_' (my-model) or CamelCase "
        "(MyModel), ASCII letters and digits only, starting with a letter"
    )


def resolve_names(raw: str) -> ModelNames:
    """Validate `raw` and derive every spelling; raises `UserError` with the fix on bad input."""
    if raw is None or not raw.strip():
        raise UserError("the model name is empty; pass a name such as `my-model`")
    if raw != raw.strip():
        raise UserError(f"invalid model name {raw!r}: remove the surrounding whitespace")
    if not raw.isascii():
        raise UserError(f"invalid model name {raw!r}: use ASCII letters, digits, '-' and '_' only")
    if len(raw) > MAX_LENGTH:
        raise UserError(f"invalid model name {raw[:20]!r}...: at most {MAX_LENGTH} characters, pick a shorter name")
    words = _words_of(raw)
    module = "_".join(words)
    model_type = raw if _LOWER_FORM.match(raw) else module
    # A CamelCase name keeps the user's casing (GPT2Like stays GPT2Like); otherwise capitalize words.
    camel = raw if _CAMEL_FORM.match(raw) else "".join(w[:1].upper() + w[1:] for w in words)
    if keyword.iskeyword(module) or keyword.issoftkeyword(module) or module in {"auto", "deprecated"}:
        raise UserError(
            f"invalid model name {raw!r}: {module!r} is reserved in Python or Transformers; pick another name"
        )
    if not module.isidentifier() or not camel.isidentifier():
        raise UserError(f"invalid model name {raw!r}: it does not give a valid Python identifier; start with a letter")
    return ModelNames(model_type=model_type, module=module, camel=camel, upper=module.upper())
