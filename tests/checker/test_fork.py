"""The checker on the real 5.24 tree (the sdist fork fixture): completes, and the reference models
that our templates follow are clean; a new model without tests or docs is caught in --changed."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.checker.fixtures import git
from tests.checker.test_reporters import findings_schema
from transformers_scaffold.checker.reporters import render_json
from transformers_scaffold.checker.runner import CheckOptions, run_check
from transformers_scaffold.checks import RULES

REFERENCE_MODELS = ("llama", "bert", "mistral", "xlm_roberta")


@pytest.mark.slow
def test_whole_tree_completes_and_reference_models_are_clean(sdist_fork: Path) -> None:
    before = git(sdist_fork, "status", "--porcelain")
    report = run_check(CheckOptions(root=sdist_fork, use_cache=False))
    assert report.files > 2500
    jsonschema.validate(json.loads(render_json(report.findings, RULES, report.files)), findings_schema())
    dirty = [f for f in report.findings if any(f"/models/{m}/" in f.path for m in REFERENCE_MODELS)]
    assert dirty == [], [f"{f.code} {f.path}:{f.line} {f.message}" for f in dirty]
    assert git(sdist_fork, "status", "--porcelain") == before, "a --no-cache run writes nothing"


@pytest.mark.slow
def test_changed_run_catches_a_new_model_without_tests_or_docs(fork: Path) -> None:
    source = fork / "src/transformers/models/mistral"
    target = fork / "src/transformers/models/acme"
    target.mkdir()
    for name in ("__init__.py", "configuration_mistral.py", "modeling_mistral.py"):
        text = (source / name).read_text().replace("Mistral", "Acme").replace("mistral", "acme")
        (target / name.replace("mistral", "acme")).write_text(text)
    report = run_check(CheckOptions(root=fork, changed=True, select=("SCF1", "SCF3"), use_cache=False))
    codes = {f.code for f in report.findings}
    assert {"SCF303", "SCF304", "SCF102", "SCF103", "SCF106"} <= codes
    assert "SCF301" in codes, "modeling_acme.py claims to be generated from a modular file that is not there"
    assert all(
        f.path.startswith(("src/transformers/models/acme/", "src/transformers/models/__init__.py"))
        for f in report.findings
    )
