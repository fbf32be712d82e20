"""The pipeline codemods on small real excerpts (before/after strings) and on the sdist's files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.codemods.helpers import inserted_lines
from transformers_scaffold.codemods.dict_entry import add_dict_entry
from transformers_scaffold.codemods.from_import import add_from_import_name
from transformers_scaffold.codemods.import_structure import add_import_structure_name
from transformers_scaffold.codemods.pipeline_overload import add_pipeline_overload
from transformers_scaffold.codemods.supported_tasks import add_supported_task
from transformers_scaffold.codemods.type_checking_names import add_type_checking_name
from transformers_scaffold.errors import UserError

LAZY = """\
_PIPELINE_CLASS_TO_MODULE = {
    "AggregationStrategy": "transformers.pipelines.token_classification",
    "TextClassificationPipeline": "transformers.pipelines.text_classification",
    "ZeroShotObjectDetectionPipeline": "transformers.pipelines.zero_shot_object_detection",
}
"""


def test_dict_entry_goes_in_sorted_place() -> None:
    new = add_dict_entry(
        LAZY, "_PIPELINE_CLASS_TO_MODULE", "TextScoringPipeline", "transformers.pipelines.text_scoring"
    )
    assert new == LAZY.replace(
        '    "ZeroShot', '    "TextScoringPipeline": "transformers.pipelines.text_scoring",\n    "ZeroShot'
    )
    assert (
        add_dict_entry(new, "_PIPELINE_CLASS_TO_MODULE", "TextScoringPipeline", "transformers.pipelines.text_scoring")
        == new
    )


def test_dict_entry_last_and_first_keep_the_layout() -> None:
    last = add_dict_entry(LAZY, "_PIPELINE_CLASS_TO_MODULE", "Zzz", "m")
    assert last.endswith('    "Zzz": "m",\n}\n')
    first = add_dict_entry(LAZY, "_PIPELINE_CLASS_TO_MODULE", "Aaa", "m")
    assert first.startswith('_PIPELINE_CLASS_TO_MODULE = {\n    "Aaa": "m",\n    "AggregationStrategy"')
    no_trailing = "X = {\n    'a': 1,\n    'c': 3\n}\n"
    assert add_dict_entry(no_trailing, "X", "d", "D") == "X = {\n    'a': 1,\n    'c': 3,\n    \"d\": \"D\"\n}\n"


def test_dict_entry_conflict_and_missing_dict() -> None:
    with pytest.raises(UserError, match="another value"):
        add_dict_entry(LAZY, "_PIPELINE_CLASS_TO_MODULE", "AggregationStrategy", "elsewhere")
    with pytest.raises(UserError, match="no top-level"):
        add_dict_entry("Y = {}\n", "_PIPELINE_CLASS_TO_MODULE", "A", "b")


TASKS = """\
SUPPORTED_TASKS = {
    "fill-mask": {
        "impl": "transformers.pipelines.fill_mask.FillMaskPipeline",
        "pt": (AutoModelForMaskedLM,) if is_torch_available() else (),
        "default": {"model": ("distilbert/distilroberta-base", "fb53ab8")},
        "type": "text",
    },
}
"""


def test_supported_task_is_appended_in_upstream_shape() -> None:
    new = add_supported_task(
        TASKS,
        "text-scoring",
        "transformers.pipelines.text_scoring.TextScoringPipeline",
        ("AutoModelForSequenceClassification",),
        "text",
        ("org/model", "abc123"),
    )
    assert new == TASKS.replace(
        "    },\n}\n",
        "    },\n"
        '    "text-scoring": {\n'
        '        "impl": "transformers.pipelines.text_scoring.TextScoringPipeline",\n'
        '        "pt": (AutoModelForSequenceClassification,) if is_torch_available() else (),\n'
        '        "default": {"model": ("org/model", "abc123")},\n'
        '        "type": "text",\n'
        "    },\n}\n",
    )
    compile(new, "x", "exec")
    again = add_supported_task(
        new,
        "text-scoring",
        "transformers.pipelines.text_scoring.TextScoringPipeline",
        ("AutoModelForSequenceClassification",),
        "text",
        ("org/model", "abc123"),
    )
    assert again == new


def test_supported_task_without_default_model() -> None:
    new = add_supported_task(TASKS, "x-y", "transformers.pipelines.x_y.XYPipeline", ("AutoModel",), "image")
    assert (
        '"x-y": {\n        "impl": "transformers.pipelines.x_y.XYPipeline",\n        "pt": (AutoModel,) if is_torch_available() else (),\n        "type": "image",\n    },\n}'
        in new
    )


STRUCTURE = """\
_import_structure = {
    "loss": [],
    "pipelines": [
        "TextClassificationPipeline",
        "ZeroShotObjectDetectionPipeline",
    ],
}
"""


def test_import_structure_name() -> None:
    new = add_import_structure_name(STRUCTURE, "pipelines", "TextScoringPipeline")
    assert inserted_lines(STRUCTURE, new) == ['        "TextScoringPipeline",']
    assert add_import_structure_name(new, "pipelines", "TextScoringPipeline") == new
    with pytest.raises(UserError, match="no 'models' key"):
        add_import_structure_name(STRUCTURE, "models", "X")


TOP_TYPE_CHECKING = """\
if TYPE_CHECKING:
    from .optimization import get_scheduler as get_scheduler

    # Pipelines
    from .pipelines import AnyToAnyPipeline as AnyToAnyPipeline
    from .pipelines import ZeroShotObjectDetectionPipeline as ZeroShotObjectDetectionPipeline
    from .processing_utils import ProcessorMixin as ProcessorMixin
"""


def test_type_checking_reexport_goes_inside_its_group() -> None:
    new = add_type_checking_name(TOP_TYPE_CHECKING, ".pipelines", "TextScoringPipeline", reexport=True)
    assert inserted_lines(TOP_TYPE_CHECKING, new) == [
        "    from .pipelines import TextScoringPipeline as TextScoringPipeline"
    ]
    assert new.index("TextScoringPipeline") < new.index("ZeroShotObjectDetectionPipeline")
    # First of its group: the group's comment stays above the group.
    first = add_type_checking_name(TOP_TYPE_CHECKING, ".pipelines", "AaaPipeline", reexport=True)
    assert (
        "    # Pipelines\n    from .pipelines import AaaPipeline as AaaPipeline\n    from .pipelines import AnyToAny"
        in first
    )
    assert add_type_checking_name(new, ".pipelines", "TextScoringPipeline", reexport=True) == new


PIPELINES_TYPE_CHECKING = """\
if TYPE_CHECKING:
    from ..modeling_utils import PreTrainedModel
    from .text_classification import TextClassificationPipeline
    from .zero_shot_classification import ZeroShotClassificationPipeline
"""


def test_type_checking_import_of_a_new_module_sorts_by_module() -> None:
    new = add_type_checking_name(PIPELINES_TYPE_CHECKING, ".text_scoring", "TextScoringPipeline")
    assert new == PIPELINES_TYPE_CHECKING.replace(
        "    from .zero_shot", "    from .text_scoring import TextScoringPipeline\n    from .zero_shot"
    )
    with pytest.raises(UserError, match="TYPE_CHECKING"):
        add_type_checking_name("import os\n", ".x", "X")


GUARDED = """\
if is_torch_available():
    import torch

    from ..models.auto.modeling_auto import (
        AutoModel,
        AutoModelForCausalLM,
        AutoModelForCTC,
        AutoModelForZeroShotObjectDetection,
    )
"""


def test_from_import_name_sorted_case_insensitively() -> None:
    new = add_from_import_name(GUARDED, "..models.auto.modeling_auto", "AutoModelForPreTraining")
    assert inserted_lines(GUARDED, new) == ["        AutoModelForPreTraining,"]
    assert new.index("AutoModelForCTC") < new.index("AutoModelForPreTraining") < new.index("AutoModelForZeroShot")
    last = add_from_import_name(GUARDED, "..models.auto.modeling_auto", "AutoModelForZzz")
    assert "        AutoModelForZeroShotObjectDetection,\n        AutoModelForZzz,\n    )" in last
    assert add_from_import_name(new, "..models.auto.modeling_auto", "AutoModelForPreTraining") == new
    with pytest.raises(UserError, match="add the import by hand"):
        add_from_import_name("x = 1\n", "..models.auto.modeling_auto", "AutoModel")


OVERLOADS = """\
# <generated-code>
from typing import Literal, overload


@overload
def pipeline(task: Literal[None], model: str | None = None, **kwargs: Any) -> Pipeline: ...
@overload
def pipeline(task: Literal["fill-mask"], model: str | None = None, **kwargs: Any) -> FillMaskPipeline: ...
@overload
def pipeline(task: Literal["zero-shot"], model: str | None = None, **kwargs: Any) -> ZeroShotPipeline: ...
# </generated-code>
"""


def test_pipeline_overload_copies_its_neighbour() -> None:
    new = add_pipeline_overload(OVERLOADS, "text-scoring", "TextScoringPipeline")
    assert sorted(inserted_lines(OVERLOADS, new)) == [
        "@overload",
        'def pipeline(task: Literal["text-scoring"], model: str | None = None, **kwargs: Any) -> TextScoringPipeline: ...',
    ]
    assert new.index('"fill-mask"') < new.index('"text-scoring"') < new.index('"zero-shot"')
    assert add_pipeline_overload(new, "text-scoring", "TextScoringPipeline") == new
    last = add_pipeline_overload(OVERLOADS, "zzz", "ZzzPipeline")
    assert last.index('"zero-shot"') < last.index('"zzz"') < last.index("# </generated-code>")
    assert add_pipeline_overload("x = 1\n", "t", "TPipeline") == "x = 1\n"  # a fork without overloads


def test_on_the_sdist_files_only_lines_are_inserted(sdist_fork: Path) -> None:
    pipelines = (sdist_fork / "src/transformers/pipelines/__init__.py").read_text()
    top = (sdist_fork / "src/transformers/__init__.py").read_text()
    new = add_dict_entry(
        pipelines, "_PIPELINE_CLASS_TO_MODULE", "TextScoringPipeline", "transformers.pipelines.text_scoring"
    )
    new = add_type_checking_name(new, ".text_scoring", "TextScoringPipeline")
    new = add_from_import_name(new, "..models.auto.modeling_auto", "AutoModelForPreTraining")
    new = add_pipeline_overload(new, "text-scoring", "TextScoringPipeline")
    added = inserted_lines(pipelines, new)
    assert len(added) == 5, added
    new_top = add_type_checking_name(
        add_import_structure_name(top, "pipelines", "TextScoringPipeline"), ".pipelines", "TextScoringPipeline", True
    )
    assert inserted_lines(top, new_top) == [
        '        "TextScoringPipeline",',
        "    from .pipelines import TextScoringPipeline as TextScoringPipeline",
    ]
