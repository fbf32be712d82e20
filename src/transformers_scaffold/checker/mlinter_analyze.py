"""transformers-mlinter's `analyze_file` on the tree `scaffold check` has parsed already.

`mlinter.analyze_file(path, text)` parses the text itself: a second `ast.parse` of every file it
lints, after the one every other rule shares (`SourceFile.tree`). `analyze_tree` is the same loop
over the active registry (`TRF_RULE_CHECKS` in order, the enabled rules, the violations re-tagged
with their rule id, the linter's own allowlist filter) given that tree; mlinter's rules only read
trees, so sharing one is sound. Two costly rules are skipped on a file where their guard finds
nothing they could report (`mlinter_guards`). A linter without the names it uses keeps `analyze_file`.
`tests/checker/test_mlinter_analyze.py` compares both on real modeling files.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from transformers_scaffold.checker.mlinter_guards import guards

_NEEDS = ("TRF_RULE_CHECKS", "Violation", "_is_rule_allowlisted_for_file")


def analyze_tree(
    linter: Any, tree: ast.Module, file_path: Path, text: str, lines: list[str], enabled_rules: frozenset[str]
) -> list[Any]:
    """`linter.analyze_file(file_path, text, enabled_rules)`, `tree` and `lines` being
    `ast.parse(text)` and `text.splitlines()`."""
    module = linter.mlinter
    if not all(hasattr(module, name) for name in _NEEDS):
        return list(linter.analyze_file(file_path, text, enabled_rules=set(enabled_rules)))
    violation = module.Violation
    violations = []
    could_fire = guards(linter)
    for rule_id, check_fn in module.TRF_RULE_CHECKS.items():
        if rule_id in enabled_rules:
            guard = could_fire.get(rule_id)
            if guard is not None and not guard(tree):
                continue  # no node this rule could report (checker/mlinter_guards.py)
            for v in check_fn(tree, file_path, lines):
                violations.append(
                    violation(file_path=v.file_path, line_number=v.line_number, rule_id=rule_id, message=v.message)
                )
    allowlisted = module._is_rule_allowlisted_for_file
    return [v for v in violations if not (v.rule_id is not None and allowlisted(v.rule_id, v.file_path))]
