"""mlinter's `analyze_file` and our `analyze_tree` on the shared tree (checker/mlinter_analyze.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytest.importorskip("mlinter", reason="transformers-mlinter (the mlinter extra) is not installed")


def test_analyze_tree_reports_what_analyze_file_reports(sdist_fork: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import mlinter
    import mlinter.mlinter as module

    from transformers_scaffold.checker.mlinter_analyze import analyze_tree

    monkeypatch.chdir(sdist_fork)  # mlinter's allowlists and tables resolve paths from the cwd
    module._activate_rule_registry(module.DEFAULT_RULE_SPECS_PATH)  # its defaults flag some of 5.24's files
    # One model's allowlist, so the linter's own filter has something to drop.
    monkeypatch.setitem(module.TRF_MODEL_DIR_ALLOWLISTS, "TRF023", {"gpt2", "t5"})
    enabled = frozenset(module.DEFAULT_ENABLED_TRF_RULES)
    models = Path("src/transformers/models")
    paths = [
        p
        for m in ("llama", "bert", "t5", "gpt2", "whisper", "mamba", "vit", "detr", "blip_2", "gemma3")
        for p in sorted((models / m).glob("*_*.py"))
    ]
    ours, theirs = [], []
    for path in paths:
        text = path.read_text()
        tree = ast.parse(text)
        ours.append(
            [
                (v.rule_id, v.line_number, str(v.message), v.file_path)
                for v in analyze_tree(mlinter, tree, path, text, text.splitlines(), enabled)
            ]
        )
        theirs.append(
            [
                (v.rule_id, v.line_number, str(v.message), v.file_path)
                for v in mlinter.analyze_file(path, text, enabled_rules=set(enabled))
            ]
        )
    assert sum(map(len, theirs)) > 20, "the comparison needs findings to compare"
    unfiltered = [
        v
        for path in paths
        if path.parts[3] in {"gpt2", "t5"}
        for v in module.TRF_RULE_CHECKS["TRF023"](ast.parse(path.read_text()), path, path.read_text().splitlines())
    ]
    assert unfiltered, "the allowlist has a finding to drop"
    assert ours == theirs
