"""Which head the launcher and the efficiency tests train, from the spec alone."""

from __future__ import annotations

import jinja2
import pytest

import transformers_scaffold

TEMPLATE_DIR = transformers_scaffold.__file__.rsplit("/", 1)[0] + "/templates/model"
CAUSAL = "MODEL_FOR_CAUSAL_LM_MAPPING_NAMES"
MASKED = "MODEL_FOR_MASKED_LM_MAPPING_NAMES"
SEQ = "MODEL_FOR_SEQUENCE_CLASSIFICATION_MAPPING_NAMES"


def _pick(heads: list[tuple[str, list[str]]]) -> tuple[str, str]:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR))
    template = env.from_string(
        '{% from "_partials/efficiency/_macros.jinja" import lm_head, lm_task %}{{ lm_head(spec) }}|{{ lm_task(spec) }}'
    )
    spec = {"base_class": "XModel", "heads": [{"cls": cls, "mappings": maps} for cls, maps in heads]}
    head, task = template.render(spec=spec).split("|")
    return head, task


@pytest.mark.parametrize(
    ("heads", "expected"),
    [
        ([("XForSeq", [SEQ]), ("XForCausalLM", [CAUSAL])], ("XForCausalLM", "causal")),
        ([("XForCausalLM", [CAUSAL]), ("XForMaskedLM", [MASKED])], ("XForMaskedLM", "masked")),  # BERT-likes
        ([("XForSeq", [SEQ])], ("XForSeq", "other")),
        ([], ("XModel", "other")),
    ],
)
def test_training_head_choice(heads, expected) -> None:
    assert _pick(heads) == expected


def test_py_literal_macro_renders_python() -> None:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR))
    template = env.from_string('{% from "_partials/efficiency/_macros.jinja" import py %}{{ py(value) }}')
    value = {"a": True, "b": None, "c": [1, 2.5, 'q"x'], "d": False}
    assert eval(template.render(value=value)) == value  # noqa: S307 - our own rendered literal
