"""The upstream-PR profile (`--profile upstream`): what an upstream Transformers PR takes, and how its tests look.

An upstream PR takes no launchers (`examples/`), no copier answers and no efficiency test file, and
writes a new decoder's tests on the fork's own shared helpers (`CausalLMModelTester` /
`CausalLMModelTest` of `tests/causal_lm_tester.py`), as upstream's model tests do. Which helpers the
fork ships comes from the facts layer (`ForkFacts.tester_helpers`); where the fork has none (the
PyPI sdist) or the model does not follow the helper's naming, the generic test template stays.
"""

from __future__ import annotations

from transformers_scaffold.facts import ForkFacts
from transformers_scaffold.facts.testers import CAUSAL_LM
from transformers_scaffold.spec import ModelSpec


def upstream_omits(path: str, module: str) -> bool:
    """Files an upstream Transformers PR does not take: launchers, copier answers, efficiency tests."""
    return (
        path.startswith((f"examples/{module}/", ".copier-answers/"))
        or path == f"tests/models/{module}/test_efficiency_{module}.py"
    )


def upstream_tester(facts: ForkFacts, spec: ModelSpec) -> tuple[str, str] | None:
    """The (tester, test) classes of `tests/causal_lm_tester.py` the generated tests subclass, or None.

    Only for a generative decoder whose classes follow the helper's naming: `CausalLMModelTester`
    finds the heads by name (`<Name>Model` -> `<Name>ForCausalLM`, `<Name>ForSequenceClassification`...).
    """
    pair = facts.tester_helpers.get(CAUSAL_LM)
    if pair is None or not spec.generative or not spec.base_class.endswith("Model"):
        return None
    causal_lm = spec.base_class.removesuffix("Model") + "ForCausalLM"
    if not any(head.cls == causal_lm for head in spec.heads):
        return None
    return pair
