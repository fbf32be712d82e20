"""`--profile upstream` writes a decoder's tests on the fork's own `CausalLMModelTester` where the fork ships
it (the facts layer says so), and keeps the generic tests where it does not (the 5.24 sdist has none).

That the tests written on the helper pass is proven on a real fork (tests/like/test_real_fork_conventions.py):
the sdist's `testing_utils` lacks what upstream's helper imports.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests.facts.test_testers import CAUSAL_LM_TESTER
from transformers_scaffold.facts import ForkFacts
from transformers_scaffold.kinds import spec_for_kind
from transformers_scaffold.names import resolve_names
from transformers_scaffold.pipeline.new_model import NewModelRequest, plan_new_model
from transformers_scaffold.pipeline.upstream import upstream_tester

TEST_FILE = "tests/models/acme/test_modeling_acme.py"


def _tests(fork: Path, profile: str) -> str:
    _, _, _, plan, _ = plan_new_model(NewModelRequest(name="acme", repo=fork, dry_run=True, profile=profile))
    return plan.changes[TEST_FILE].new


def _with_helper(fork: Path) -> Path:
    (fork / "tests/causal_lm_tester.py").write_text(CAUSAL_LM_TESTER, encoding="utf-8")
    return fork


def test_upstream_tests_subclass_the_forks_helpers(fork: Path) -> None:
    text = _tests(_with_helper(fork), "upstream")
    compile(text, TEST_FILE, "exec", dont_inherit=True)
    assert "from ...causal_lm_tester import CausalLMModelTest, CausalLMModelTester" in text
    assert "class AcmeModelTester(CausalLMModelTester):" in text
    assert "        base_model_class = AcmeModel\n" in text
    assert "class AcmeModelTest(CausalLMModelTest, unittest.TestCase):" in text
    assert '"num_hidden_layers": 2,' in text  # the tiny configuration reaches the helper
    assert "ModelTesterMixin" not in text  # the helper brings the common mixins itself


def test_without_the_helper_or_outside_the_profile_the_generic_tests_stay(fork: Path) -> None:
    generic = _tests(fork, "upstream")  # the 5.24 sdist ships no tests/causal_lm_tester.py
    assert "causal_lm_tester" not in generic and "class AcmeModelTester:" in generic
    assert "causal_lm_tester" not in _tests(_with_helper(fork), "fork")


@pytest.mark.parametrize("change", ["no causal LM head", "not generative", "odd base name"])
def test_a_model_the_helper_cannot_name_keeps_the_generic_tests(tmp_path: Path, change: str) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests/causal_lm_tester.py").write_text(CAUSAL_LM_TESTER, encoding="utf-8")
    facts = ForkFacts(tmp_path)
    spec = spec_for_kind("decoder", resolve_names("acme"), None, None)
    assert upstream_tester(facts, spec) == ("CausalLMModelTester", "CausalLMModelTest")
    if change == "no causal LM head":
        spec = dataclasses.replace(spec, heads=tuple(h for h in spec.heads if not h.cls.endswith("ForCausalLM")))
    elif change == "not generative":
        spec = dataclasses.replace(spec, generative=False)
    else:
        spec = dataclasses.replace(spec, base_class="AcmeDecoder")
    assert upstream_tester(facts, spec) is None
