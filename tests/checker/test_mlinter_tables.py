"""mlinter's TRF011 table built one model directory at a time (checker/mlinter_tables.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.checker.fixtures import materialise
from tests.checker.test_cli import check

pytest.importorskip("mlinter", reason="transformers-mlinter (the mlinter extra) is not installed")

CONFIG = """from ...configuration_utils import PreTrainedConfig


class PipeConfig(PreTrainedConfig):
    model_type = "pipe"
    base_model_pp_plan = {
        "embed_tokens": (["input_ids"], ["inputs_embeds"]),
        "layers": (["hidden_states"], ["hidden_states"]),
    }
"""

MODELING = """from ...modeling_utils import PreTrainedModel


class PipePreTrainedModel(PreTrainedModel):
    base_model_prefix = "model"


class PipeModel(PipePreTrainedModel):
    def forward(self, input_ids):
        dtype = self.embed_tokens.weight.dtype  # expect: TRF011
        return self.layers(input_ids).to(dtype)
"""


@pytest.fixture
def fresh_trf011(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    import mlinter.trf011 as trf011

    monkeypatch.setattr(trf011, "_PP_PLAN_MODULES_BY_MODEL_DIR", None)
    return trf011


def test_lazy_table_equals_the_eager_one_on_every_real_model(
    sdist_fork: Path, monkeypatch: pytest.MonkeyPatch, fresh_trf011
) -> None:  # type: ignore[no-untyped-def]
    from transformers_scaffold.checker.mlinter_tables import PlansByModelDir, lazy_pp_plans

    monkeypatch.chdir(sdist_fork)  # mlinter resolves its MODELS_ROOT from the working directory
    eager = fresh_trf011._pp_plan_modules_by_model_dir()
    assert len(eager) > 50, "the comparison needs real pp plans"
    assert lazy_pp_plans(fresh_trf011) and isinstance(fresh_trf011._PP_PLAN_MODULES_BY_MODEL_DIR, PlansByModelDir)
    lazy = fresh_trf011._PP_PLAN_MODULES_BY_MODEL_DIR
    dirs = [p.name for p in (sdist_fork / "src/transformers/models").iterdir() if p.is_dir()]
    assert {d: lazy.get(d, set()) for d in dirs} == {d: eager.get(d, set()) for d in dirs}
    assert Path("src/transformers/models") == fresh_trf011.MODELS_ROOT, "restored after each directory"


def test_an_eager_table_already_built_is_left_alone(fresh_trf011) -> None:  # type: ignore[no-untyped-def]
    from transformers_scaffold.checker.mlinter_tables import lazy_pp_plans

    fresh_trf011._PP_PLAN_MODULES_BY_MODEL_DIR = {"llama": {"layers"}}
    assert not lazy_pp_plans(fresh_trf011)
    assert {"llama": {"layers"}} == fresh_trf011._PP_PLAN_MODULES_BY_MODEL_DIR


def test_trf011_fires_through_the_lazy_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, fresh_trf011
) -> None:  # type: ignore[no-untyped-def]
    root, _ = materialise("SCF501", tmp_path)
    rules = root / "utils/rules.toml"
    text = rules.read_text()
    start = text.index("[rules.TRF011]")
    rules.write_text(text[:start] + text[start:].replace("default_enabled = false", "default_enabled = true", 1))
    pipe = root / "src/transformers/models/pipe"
    pipe.mkdir()
    (pipe / "configuration_pipe.py").write_text(CONFIG)
    (pipe / "modeling_pipe.py").write_text(MODELING)
    monkeypatch.chdir(root)
    code, out, err = check(capsys, "--repo", str(root), "--format", "json", "--select", "TRF011", "--no-cache")
    found = [(f["path"], f["line"]) for f in json.loads(out)["findings"]]
    assert ("src/transformers/models/pipe/modeling_pipe.py", 10) in found, (found, err)
    from transformers_scaffold.checker.mlinter_tables import PlansByModelDir

    table = fresh_trf011._PP_PLAN_MODULES_BY_MODEL_DIR
    assert isinstance(table, PlansByModelDir) and "llama" not in table, "only the linted models were parsed"
