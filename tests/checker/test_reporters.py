"""Reporters: JSON validates against findings.schema.json, SARIF against the OASIS 2.1.0 schema."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from tests.checker.fixtures import materialise
from transformers_scaffold.checker.api import Finding
from transformers_scaffold.checker.reporters import render_github, render_json, render_sarif, render_text
from transformers_scaffold.checker.runner import CheckOptions, run_check
from transformers_scaffold.checks import RULES

SARIF_SCHEMA = Path(__file__).resolve().parents[1] / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"


def findings_schema() -> dict:
    text = resources.files("transformers_scaffold.checker").joinpath("findings.schema.json").read_text()
    return json.loads(text)


@pytest.fixture(scope="module")
def real_findings(tmp_path_factory: pytest.TempPathFactory) -> list[Finding]:
    """Findings of several kinds (errors, warnings, fixable, multi-file) from real fixtures."""
    out: list[Finding] = []
    for code in ("SCF105", "SCF208", "SCF310", "SCF313"):
        root, _ = materialise(code, tmp_path_factory.mktemp(code))
        out += run_check(CheckOptions(root=root, select=(code,), use_cache=False, jobs=1)).findings
    return out


def test_json_output_validates_against_the_published_schema(real_findings: list[Finding]) -> None:
    document = json.loads(render_json(real_findings, RULES, 3))
    jsonschema.validate(document, findings_schema())
    assert document["version"] == 2 and document["tool"] == "transformers-scaffold"
    assert {f["code"] for f in document["findings"]} == {"SCF105", "SCF208", "SCF310", "SCF313"}
    assert any(f["fixable"] for f in document["findings"]) and any(
        f["severity"] == "warning" for f in document["findings"]
    )


def test_findings_schema_rejects_a_broken_finding(real_findings: list[Finding]) -> None:
    document = json.loads(render_json(real_findings, RULES, 3))
    document["findings"][0]["line"] = 0
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, findings_schema())


def test_sarif_validates_against_the_sarif_2_1_0_schema(real_findings: list[Finding]) -> None:
    schema = json.loads(SARIF_SCHEMA.read_text())
    document = json.loads(render_sarif(real_findings, RULES, 3))
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.validate(document, schema, cls=jsonschema.Draft4Validator)
    run = document["runs"][0]
    assert len(run["results"]) == len(real_findings)
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]


def test_sarif_schema_catches_an_invalid_document(real_findings: list[Finding]) -> None:
    schema = json.loads(SARIF_SCHEMA.read_text())
    document = json.loads(render_sarif(real_findings, RULES, 3))
    document["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema, cls=jsonschema.Draft4Validator)


def test_github_annotations_escape_and_map_levels() -> None:
    finding = Finding(
        "SCF208", "a,b:c.py", 3, "bad\nthing 100%", name="graph-break-in-forward", severity="warning", fix="do x"
    )
    out = render_github([finding], RULES, 1)
    assert out.startswith("::warning file=a%2Cb%3Ac.py,line=3,endLine=3,col=1,title=SCF208 graph-break-in-forward::")
    assert "bad%0Athing 100%25 (fix: do x)" in out
    info = Finding("SCF001", "x.py", 1, "m", severity="info")
    assert render_github([info], RULES, 1).startswith("::notice ")


def test_text_groups_by_file_with_fix_hints(real_findings: list[Finding]) -> None:
    out = render_text(real_findings, RULES, 7)
    paths = [line for line in out.splitlines() if line and not line.startswith(" ") and not line.startswith("Found")]
    assert paths == sorted(set(paths)), "one header per file, files in order"
    assert "      fix: " in out
    assert out.rstrip().splitlines()[-1].startswith(f"Found {len(real_findings)} finding(s) in 7 file(s)")
    assert "All clear" in render_text([], RULES, 7)


def test_text_colour_only_on_request(real_findings: list[Finding]) -> None:
    plain = render_text(real_findings, RULES, 7)
    coloured = render_text(real_findings, RULES, 7, color=True)
    assert "\033[" not in plain and "\033[31mSCF" in coloured
    assert re.sub(r"\033\[[0-9;]*m", "", coloured) == plain
