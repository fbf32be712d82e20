"""TRF014/TRF021 skipped where their guard finds nothing to report (checker/mlinter_guards.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytest.importorskip("mlinter", reason="transformers-mlinter (the mlinter extra) is not installed")

FIRES = {
    "TRF014": [
        "def load(path):\n    return AutoModel.from_pretrained(path, trust_remote_code=True)\n",
        'def load(path):\n    return AutoModel.from_pretrained(path, **{"trust_remote_code": True})\n',
        "def load(path):\n    return AutoModel.from_pretrained(path, **dict(trust_remote_code=True))\n",
    ],
    "TRF021": [
        "import torch\n\n\ndef scale(x):\n    return x * torch.tensor(2.0, device=x.device)\n",
        "import torch\n\n\nclass A:\n    def f(self, x):\n        def g():\n            return torch.tensor(1, device='cuda')\n\n        return g\n",
        "import torch\n\n\ndef f(x):\n    return torch.tensor(0.5, dtype=torch.long, device=torch.device('cuda', 0))\n",
    ],
}
QUIET = {
    "TRF014": ["def load(path, **kwargs):\n    return AutoModel.from_pretrained(path, **kwargs)\n"],
    "TRF021": ["import torch\n\n\ndef f(x):\n    return torch.tensor(2.0, device='cpu') + torch.tensor([x])\n"],
}


def _real_files(sdist_fork: Path) -> list[tuple[Path, str]]:
    models = sdist_fork / "src" / "transformers" / "models"
    paths = sorted(models.glob("*/modeling_*.py"))[::3] + sorted(models.glob("*/modular_*.py"))[::3]
    assert len(paths) > 100
    return [(p, p.read_text()) for p in paths]


@pytest.mark.parametrize("rule_id", sorted(FIRES))
def test_a_guard_says_no_only_where_the_rule_reports_nothing(sdist_fork: Path, rule_id: str) -> None:
    import mlinter
    import mlinter.mlinter as module

    from transformers_scaffold.checker.mlinter_guards import guards

    module._activate_rule_registry(module.DEFAULT_RULE_SPECS_PATH)
    guard = guards(mlinter)[rule_id]  # the installed linter is the one the guards were written for
    check = module.TRF_RULE_CHECKS[rule_id]
    models = sdist_fork / "src" / "transformers" / "models"
    samples = [(models / "acme" / f"modeling_acme{i}.py", t) for i, t in enumerate(FIRES[rule_id] + QUIET[rule_id])]
    skipped = fired = 0
    for path, text in [*_real_files(sdist_fork), *samples]:
        tree = ast.parse(text)
        found = check(tree, path, text.splitlines())
        if not guard(tree):
            assert found == [], (rule_id, path)
            skipped += 1
        fired += bool(found) and text in FIRES[rule_id]
    assert skipped > 50, "the guard skips most files (else it saves nothing)"
    assert fired == len(FIRES[rule_id]), "each sample fires through its guard"
    for text in QUIET[rule_id]:
        assert not guard(ast.parse(text)), "a call the rule cannot report does not count"
