"""The generated `examples/<m>/generate_<m>.py`: a static cache with the decoding step compiled,
and assisted decoding on a quantized model, each give the same tokens as plain greedy decoding
(the script's own --compare-greedy, which exits 1 otherwise), and it prints tokens/s."""

from __future__ import annotations

import re

import pytest

from tests.efficiency import launch
from tests.efficiency.conftest import MODELS

DECODER = MODELS["decoder"][0]


@pytest.mark.slow
@pytest.mark.parametrize(
    "flags",
    [
        ["--static-cache", "--compile", "--compile-backend", "aot_eager"],
        ["--assistant", "tiny", "--quantize", "quanto-int8"],
    ],
    ids=["static-cache-compiled", "assisted-quantized"],
)
def test_generate_example_matches_greedy_and_reports_speed(flags, efficiency_fork) -> None:
    proc = launch.python(
        efficiency_fork, DECODER, "--max-new-tokens", "8", "--compare-greedy", *flags, name="generate"
    )
    assert proc.returncode == 0, launch.output(proc)
    assert re.search(r": 8 new tokens, [\d,.]+ tokens/s", proc.stdout), proc.stdout
    assert "same tokens as plain greedy: True" in proc.stdout


def test_encoder_has_no_generate_example(efficiency_fork) -> None:
    assert not launch.script(efficiency_fork, MODELS["encoder"][0], "generate").exists()
    assert launch.script(efficiency_fork, MODELS["like-llama"][0], "generate").is_file()
