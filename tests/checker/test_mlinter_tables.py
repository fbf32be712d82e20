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
def fresh_tables(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """mlinter as a fresh process sees it: neither table built yet."""
    import mlinter
    import mlinter.trf011 as trf011
    import mlinter.trf020 as trf020

    monkeypatch.setattr(trf011, "_PP_PLAN_MODULES_BY_MODEL_DIR", None)
    monkeypatch.setattr(trf020, "_MLA_MODEL_DIRS", None)
    return mlinter, trf011, trf020


def test_lazy_tables_equal_the_eager_ones_on_every_real_model(
    sdist_fork: Path, monkeypatch: pytest.MonkeyPatch, fresh_tables
) -> None:  # type: ignore[no-untyped-def]
    from transformers_scaffold.checker.mlinter_tables import MlaModelDirs, PlansByModelDir, lazy_tables

    mlinter, trf011, trf020 = fresh_tables
    monkeypatch.chdir(sdist_fork)  # mlinter resolves its MODELS_ROOT from the working directory
    plans = trf011._pp_plan_modules_by_model_dir()
    mla = trf020._mla_model_dirs()
    assert len(plans) > 50 and len(mla) >= 2, "the comparison needs real tables"
    assert lazy_tables(mlinter) == ["trf011", "trf020"]
    lazy_plans, lazy_mla = trf011._PP_PLAN_MODULES_BY_MODEL_DIR, trf020._MLA_MODEL_DIRS
    assert isinstance(lazy_plans, PlansByModelDir) and isinstance(lazy_mla, MlaModelDirs)
    dirs = [p.name for p in (sdist_fork / "src/transformers/models").iterdir() if p.is_dir()]
    assert {d: lazy_plans.get(d, set()) for d in dirs} == {d: plans.get(d, set()) for d in dirs}
    assert {d for d in dirs if d in lazy_mla} == mla
    assert Path("src/transformers/models") == trf011.MODELS_ROOT == trf020.MODELS_ROOT, "restored"
    assert lazy_tables(mlinter) == ["trf011", "trf020"] and trf011._PP_PLAN_MODULES_BY_MODEL_DIR is lazy_plans


def test_an_eager_table_already_built_is_left_alone(fresh_tables) -> None:  # type: ignore[no-untyped-def]
    from transformers_scaffold.checker.mlinter_tables import lazy_tables

    mlinter, trf011, _ = fresh_tables
    trf011._PP_PLAN_MODULES_BY_MODEL_DIR = {"llama": {"layers"}}
    assert lazy_tables(mlinter) == ["trf020"]
    assert {"llama": {"layers"}} == trf011._PP_PLAN_MODULES_BY_MODEL_DIR


def test_trf011_fires_through_the_lazy_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, fresh_tables
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

    table = fresh_tables[1]._PP_PLAN_MODULES_BY_MODEL_DIR
    assert isinstance(table, PlansByModelDir) and "llama" not in table, "only the linted models were parsed"
