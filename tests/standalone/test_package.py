"""Acceptance of `scaffold new-model NAME --standalone --output DIR`: the package installs with pip
into a fresh venv, its own test suite passes there, importing it makes the Auto API build its
classes, and a saved checkpoint loads with `trust_remote_code=True` in a process where the
package is not installed, with the same logits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pipeline.helpers import run_cli
from tests.standalone.helpers import fresh_venv
from transformers_scaffold.cli import main

SAVE = """
import json, sys, torch
import acme
from transformers import AutoConfig, AutoModelForCausalLM
config = AutoConfig.for_model("acme", vocab_size=99, hidden_size=32, intermediate_size=37, num_hidden_layers=2,
                              num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64)
torch.manual_seed(0)
model = AutoModelForCausalLM.from_config(config).eval()
model.save_pretrained(sys.argv[1])
with torch.no_grad():
    logits = model(input_ids=torch.tensor([[3, 5, 7, 11]])).logits
print(json.dumps({"cls": f"{type(model).__module__}.{type(model).__name__}", "pkg": acme.__file__,
                  "logits": logits.tolist()}))
"""

LOAD = """
import importlib.util, json, sys, torch
assert importlib.util.find_spec("acme") is None, "the package must not be importable here"
from transformers import AutoModelForCausalLM
model = AutoModelForCausalLM.from_pretrained(sys.argv[1], trust_remote_code=True).eval()
with torch.no_grad():
    logits = model(input_ids=torch.tensor([[3, 5, 7, 11]])).logits
print(json.dumps({"cls": f"{type(model).__module__}.{type(model).__name__}", "logits": logits.tolist()}))
"""


def _last_json(proc: subprocess.CompletedProcess[str]) -> dict:
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("standalone")
    package = base / "acme-pkg"
    assert main(["new-model", "acme", "--standalone", "--output", str(package), "--yes", "--date", "2026-12-02"]) == 0
    python = fresh_venv(base / "venv")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(package)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return package, python


@pytest.mark.slow
def test_package_test_suite_passes_in_the_fresh_venv(installed: tuple[Path, Path]) -> None:
    package, python = installed
    proc = subprocess.run(
        [str(python), "-m", "pytest", str(package), "-q", "-x"], cwd=package.parent, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert " passed" in proc.stdout and "failed" not in proc.stdout


def test_auto_class_builds_it_and_remote_code_reloads_it(installed: tuple[Path, Path], tmp_path: Path) -> None:
    package, python = installed
    checkpoint = tmp_path / "checkpoint"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    saved = _last_json(
        subprocess.run([str(python), "-c", SAVE, str(checkpoint)], capture_output=True, text=True, env=env)
    )
    assert saved["cls"] == "acme.modeling_acme.AcmeForCausalLM"
    assert "site-packages" in saved["pkg"] and str(package) not in saved["pkg"]  # installed, not the source tree
    config = json.loads((checkpoint / "config.json").read_text())
    assert config["auto_map"]["AutoModelForCausalLM"] == "modeling_acme.AcmeForCausalLM"
    # This interpreter's environment has never had the package installed.
    loaded = _last_json(
        subprocess.run([sys.executable, "-c", LOAD, str(checkpoint)], capture_output=True, text=True, env=env)
    )
    assert loaded["cls"].startswith("transformers_modules.") and loaded["cls"].endswith(".AcmeForCausalLM")
    assert loaded["logits"] == saved["logits"]


def test_bad_output_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "keep.txt").write_text("mine")
    cases = [
        (["--output", str(taken)], "not empty"),
        ([], "needs --output"),
        (["--output", str(tmp_path / "missing" / "pkg")], "does not exist"),
        (["--output", str(tmp_path / "a"), "--template", "seq2seq"], "unknown template"),
        (["--output", str(tmp_path / "b"), "--like", "no-such-model"], "no-such-model"),
        (["--output", str(tmp_path / "b"), "--like", "llama", "--template", "decoder"], "exclusive"),
    ]
    for args, needle in cases:
        code, _, err = run_cli(capsys, "new-model", "acme", "--standalone", "--yes", *args)
        lines = [line for line in err.splitlines() if line.strip()]
        assert code == 2 and len(lines) == 1 and needle in lines[0], (args, err)
    code, _, err = run_cli(capsys, "new-model", "llama", "--standalone", "--yes", "--output", str(tmp_path / "c"))
    assert code == 2 and "already exists in the installed transformers" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
    assert [p.name for p in taken.iterdir()] == ["keep.txt"]


def test_dry_run_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, diff, err = run_cli(
        capsys, "new-model", "acme", "--standalone", "--yes", "--dry-run", "--output", str(tmp_path / "pkg")
    )
    assert code == 0, err
    assert "b/src/acme/modeling_acme.py" in diff and "b/pyproject.toml" in diff
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize("source", ["bert", "mistral"])
def test_like_an_installed_model_gives_a_working_package(
    source: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = tmp_path / "pkg"
    code, _, err = run_cli(
        capsys, "new-model", "acme", "--standalone", "--like", source, "--output", str(package), "--yes"
    )
    assert code == 0, err
    env = {**os.environ, "PYTHONPATH": str(package / "src"), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_acme.py", "-q"],
        cwd=package,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert "failed" not in proc.stdout and " passed" in proc.stdout
