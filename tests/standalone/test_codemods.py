"""The standalone codemods on small before/after strings."""

from __future__ import annotations

import pytest

from transformers_scaffold.codemods.absolute_imports import absolute_imports
from transformers_scaffold.codemods.pipeline_registration import AddPipelineRegistration
from transformers_scaffold.errors import UserError

MODELING = """\
import torch

from ...modeling_utils import PreTrainedModel
from ...utils import auto_docstring
from ..auto import AutoModel
from .configuration_acme import AcmeConfig
from transformers import AcmeConfig as Again, AcmeModel
from transformers import QuantoConfig
"""


def test_absolute_imports() -> None:
    out = absolute_imports(MODELING, "acme", frozenset({"AcmeConfig", "AcmeModel"}))
    assert out == (
        "import torch\n\n"
        "from transformers.modeling_utils import PreTrainedModel\n"
        "from transformers.utils import auto_docstring\n"
        "from transformers.models.auto import AutoModel\n"
        "from .configuration_acme import AcmeConfig\n"  # siblings stay relative: trust_remote_code copies them
        "from acme import AcmeConfig as Again, AcmeModel\n"
        "from transformers import QuantoConfig\n"  # not the package's own names: untouched
    )
    assert absolute_imports(out, "acme", frozenset({"AcmeConfig", "AcmeModel"})) == out


INIT = """\
from transformers import AutoConfig, AutoModelForSequenceClassification

from .configuration_acme import AcmeConfig

AutoConfig.register("acme", AcmeConfig)

__all__ = ["AcmeConfig"]
"""


def _codemod(cls: str = "TextScoringPipeline") -> AddPipelineRegistration:
    return AddPipelineRegistration(
        task="text-scoring",
        class_name=cls,
        module="pipeline_text_scoring",
        auto_class="AutoModelForSequenceClassification",
        type="text",
    )


def test_pipeline_registration() -> None:
    out = _codemod().transform(INIT)
    assert out == (
        "from transformers import AutoConfig, AutoModelForSequenceClassification\n"
        "from transformers.pipelines import PIPELINE_REGISTRY\n\n"
        "from .configuration_acme import AcmeConfig\n"
        "from .pipeline_text_scoring import TextScoringPipeline\n\n"
        'AutoConfig.register("acme", AcmeConfig)\n\n'
        "PIPELINE_REGISTRY.register_pipeline(\n"
        '    "text-scoring",\n'
        "    pipeline_class=TextScoringPipeline,\n"
        "    pt_model=AutoModelForSequenceClassification,\n"
        '    type="text",\n'
        ")\n\n"
        '__all__ = ["AcmeConfig", "TextScoringPipeline"]\n'
    )
    assert _codemod().transform(out) == out
    with pytest.raises(UserError, match="already registers task"):
        _codemod("OtherPipeline").transform(out)
    with pytest.raises(UserError, match="does not import AutoModelForSequenceClassification"):
        _codemod().transform("from .configuration_acme import AcmeConfig\n")
