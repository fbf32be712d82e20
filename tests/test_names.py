from __future__ import annotations

import pytest

from transformers_scaffold.errors import UserError
from transformers_scaffold.names import resolve_names


@pytest.mark.parametrize(
    ("raw", "model_type", "module", "camel", "upper"),
    [
        ("my-model", "my-model", "my_model", "MyModel", "MY_MODEL"),
        ("my_model", "my_model", "my_model", "MyModel", "MY_MODEL"),
        ("MyModel", "my_model", "my_model", "MyModel", "MY_MODEL"),
        ("acme", "acme", "acme", "Acme", "ACME"),
        ("GPT2Like", "gpt2_like", "gpt2_like", "GPT2Like", "GPT2_LIKE"),
        ("blip-2", "blip-2", "blip_2", "Blip2", "BLIP_2"),
    ],
)
def test_every_spelling(raw: str, model_type: str, module: str, camel: str, upper: str) -> None:
    names = resolve_names(raw)
    assert (names.model_type, names.module, names.camel, names.upper) == (model_type, module, camel, upper)


def test_errors_are_one_line_and_name_the_fix() -> None:
    with pytest.raises(UserError) as info:
        resolve_names("my\nmodel")
    message = str(info.value)
    assert "\n" not in message and "my-model" in message
