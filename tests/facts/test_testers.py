"""Which of upstream's shared tester helpers (`tests/causal_lm_tester.py` and friends) a fork ships."""

from __future__ import annotations

from pathlib import Path

from transformers_scaffold.facts import ForkFacts

CAUSAL_LM_TESTER = """
class CausalLMModelTester:
    base_model_class = None


class CausalLMModelTest(ModelTesterMixin):
    model_tester_class = None
"""


def _fork(root: Path, files: dict[str, str]) -> ForkFacts:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return ForkFacts(root)


def test_the_helpers_the_fork_defines_are_read(tmp_path: Path) -> None:
    facts = _fork(tmp_path, {"tests/causal_lm_tester.py": CAUSAL_LM_TESTER})
    assert facts.tester_helpers == {"tests/causal_lm_tester.py": ("CausalLMModelTester", "CausalLMModelTest")}


def test_a_fork_without_them_has_none(tmp_path: Path) -> None:
    assert _fork(tmp_path, {"tests/test_modeling_common.py": "class ModelTesterMixin: ...\n"}).tester_helpers == {}


def test_a_half_helper_or_an_unparsable_one_is_not_offered(tmp_path: Path) -> None:
    half = CAUSAL_LM_TESTER.split("class CausalLMModelTest(")[0]
    assert _fork(tmp_path / "half", {"tests/causal_lm_tester.py": half}).tester_helpers == {}
    nested = "def f():\n    class CausalLMModelTester: ...\n    class CausalLMModelTest: ...\n"
    assert _fork(tmp_path / "nested", {"tests/causal_lm_tester.py": nested}).tester_helpers == {}
    broken = _fork(tmp_path / "broken", {"tests/causal_lm_tester.py": CAUSAL_LM_TESTER + "def (:\n"})
    assert broken.tester_helpers == {}
