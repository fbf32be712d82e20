"""Generated `--like` suites of state-space, hybrid and multimodal sources follow the model (issue 9).

Selected tests of real scaffolds, each naming what the generator decides from the model's behaviour:

- Mamba: the quantizers leave alone the linears whose weight the mixer reads directly
  (`dt_proj.weight @ x`, found by forward hooks), so the 8-bit and 4-bit loads run; its cache holds
  convolution and recurrent states only, compared layer by layer (no sequence length to ask);
  its config has no attention heads among the common properties.
- Jamba: its attention layers sit among Mamba layers on a period (`attn_layer_period`, `_offset`),
  fitted into the tiny depth so both kinds are built; blocks are the layer stack's entries and
  attention maps one per attention layer.
- LLaVA: the text holds one image placeholder per feature the model's own `get_image_features`
  gives, with pixel values (so its vision tower runs and checkpoints); it inherits
  `GenerationTesterMixin` because its head can generate; its config's vocabulary lives in the
  text sub-config; it reads an inner vision layer, so later layers take no gradient by design.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.like.generated_suite import EFFICIENCY, MODELING, run_selection, scaffold_like

CASES = {
    "mamba": [
        (EFFICIENCY, "quantized_load and (bnb or torchao)", {"passed": 3}),
        (MODELING, "test_bc_cache_name_forward or test_config", {"passed": 3}),  # test_config*: 2
    ],
    "llava": [
        # the common properties only those the composite config has; the pad id from the text sub-config
        (
            MODELING,
            "AcmeModelTest and (test_config or test_greedy_generate_matches_with_and_without_cache)",
            {"passed": 3},
        ),
    ],
    # jamba's and llava's other selections passed on kept scaffolds of the helper branch but were not run
    # through this file before the merge: they join once seen passing here (see the stop-9 note).
}


@pytest.mark.slow
@pytest.mark.parametrize("source", list(CASES))
def test_generated_suite_follows_the_model(source: str, sdist_fork: Path, tmp_path: Path) -> None:
    fork = scaffold_like(source, sdist_fork, tmp_path)
    for path, selection, expected in CASES[source]:
        # Warnings kept: the cache test asserts the deprecation warning of the old argument name.
        counts, stdout = run_selection(fork, [path], selection, tmp_path, warnings=True)
        assert counts == {"skipped": counts["skipped"], **expected, "failed": 0, "error": 0}, (
            selection,
            stdout[-4000:],
        )
