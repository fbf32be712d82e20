"""`--hp-search optuna` on two gloo ranks: each trial logs its own metrics and TensorBoard run,
the objective is the held-out eval loss, the study is persisted in SQLite, and the best trial's
model is saved and loads."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.efficiency import launch
from tests.efficiency.conftest import MODELS

DECODER = MODELS["decoder"][0]
SEQ = len(launch.SENTENCE.encode()) + 1


@pytest.mark.slow
def test_optuna_search_persists_the_study_and_saves_the_best_model(efficiency_fork, tmp_path) -> None:
    data = tmp_path / "data.txt"
    data.write_text("".join(f"{launch.SENTENCE} {i}\n" for i in range(48)))
    out, tb = tmp_path / "out", tmp_path / "tb"
    proc = launch.torchrun(
        efficiency_fork, DECODER, "--dataset", str(data), "--tokenizer", "bytes", "--seq-length", str(SEQ),
        "--per-device-batch-size", "2", "--max-steps", "2", "--eval-split", "0.25", "--output-dir", str(out),
        "--logging-dir", str(tb), "--hp-search", "optuna", "--n-trials", "2",
    )  # fmt: skip
    assert proc.returncode == 0, launch.output(proc)
    eval_losses = {}
    for number in (0, 1):
        rows = launch.metrics(out / f"trial-{number}")
        assert [row["step"] for row in rows if "loss" in row] == [1, 2], rows
        eval_losses[number] = [row["eval_loss"] for row in rows if "eval_loss" in row][-1]
        assert list((tb / f"trial-{number}").glob("events.out.tfevents.*")), f"no TensorBoard run for trial {number}"
    best = json.loads((out / "hp_search.json").read_text())
    assert best["objective"] == "eval_loss" and best["n_trials"] == 2
    assert best["best_trial"] == min(eval_losses, key=eval_losses.get)
    assert best["best_loss"] == eval_losses[best["best_trial"]]
    check = f"""
import json, optuna
from transformers import AutoModelForCausalLM
study = optuna.load_study(study_name={DECODER!r}, storage="sqlite:///{out / "hp_search.db"}")
values = {{t.number: t.value for t in study.trials if t.state.name == "COMPLETE"}}
model = AutoModelForCausalLM.from_pretrained({str(out / "best_model")!r})
print(json.dumps(values))
"""
    loaded = subprocess.run(
        [sys.executable, "-c", check], env=launch.env(efficiency_fork), capture_output=True, text=True, timeout=300
    )
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    stored = {int(k): v for k, v in json.loads(loaded.stdout.strip().splitlines()[-1]).items()}
    assert stored == eval_losses
    assert not any((out / f"trial-{n}" / "final").exists() for n in (0, 1)), "only the best model is kept"
