"""SARIF 2.1.0 for code-scanning uploads (validated against the OASIS schema in the tests)."""

from __future__ import annotations

from collections.abc import Sequence

from transformers_scaffold import PROJECT_URL, __version__
from transformers_scaffold.checker.api import Finding, Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
INFO_URI = PROJECT_URL


def _rule_descriptor(rule: type[Rule]) -> dict[str, object]:
    return {
        "id": rule.CODE,
        "name": rule.NAME,
        "shortDescription": {"text": rule.SUMMARY},
        "fullDescription": {"text": (rule.__doc__ or rule.SUMMARY).strip()},
        "defaultConfiguration": {"level": _LEVEL[rule.SEVERITY]},
        "helpUri": f"{INFO_URI}/blob/v{__version__}/docs/checks/{rule.CODE}.md",
        "properties": {"fixable": rule.FIXABLE},
    }


def sarif_document(findings: Sequence[Finding], rules: Sequence[type[Rule]]) -> dict[str, object]:
    ordered = sorted(rules, key=lambda r: r.CODE)
    index = {r.CODE: i for i, r in enumerate(ordered)}
    results = []
    for f in findings:
        result: dict[str, object] = {
            "ruleId": f.code,
            "level": _LEVEL[f.severity],
            "message": {"text": f.message + (f" Fix: {f.fix}" if f.fix else "")},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.path, "uriBaseId": "%SRCROOT%"},
                        "region": {
                            "startLine": max(f.line, 1),
                            "endLine": max(f.last_line, 1),
                            "startColumn": max(f.col, 1),
                        },
                    }
                }
            ],
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        results.append(result)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "scaffold-check",
                        "version": __version__,
                        "informationUri": INFO_URI,
                        "rules": [_rule_descriptor(r) for r in ordered],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
