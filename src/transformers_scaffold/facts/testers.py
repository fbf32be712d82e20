"""The fork's shared model-tester helpers: which of upstream's `tests/*_tester.py` it ships, and their classes.

Upstream writes a new decoder's tests on `CausalLMModelTester` / `CausalLMModelTest`
(`tests/causal_lm_tester.py`); vision-language, audio-language and other multimodal models have
siblings (`vlm_tester.py`, `alm_tester.py`, `multimodal_tester.py`). The PyPI sdist ships none of
them, so a generator that targets an upstream PR reads which exist before it writes tests on them.
Read statically: the top-level class names of each file (`ast`), never an import.
"""

from __future__ import annotations

import ast

# helper module (repo-relative) -> the (tester, test) class pair a model's tests subclass
HELPERS = {
    "tests/causal_lm_tester.py": ("CausalLMModelTester", "CausalLMModelTest"),
    "tests/vlm_tester.py": ("VLMModelTester", "VLMModelTest"),
    "tests/alm_tester.py": ("ALMModelTester", "ALMModelTest"),
    "tests/multimodal_tester.py": ("MultiModalModelTester", "MultiModalModelTest"),
}
CAUSAL_LM = "tests/causal_lm_tester.py"


def top_level_classes(text: str) -> list[str] | None:
    """Names of the classes defined at the top level of `text`; None when it does not parse."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    return [node.name for node in tree.body if isinstance(node, ast.ClassDef)]
