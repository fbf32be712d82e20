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

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import clone_fork
from transformers_scaffold.cli import main

EFFICIENCY = "tests/models/acme/test_efficiency_acme.py"
MODELING = "tests/models/acme/test_modeling_acme.py"
CASES = {
    "mamba": [
        (EFFICIENCY, "quantized_load and (bnb or torchao)", {"passed": 3}),
        (MODELING, "test_bc_cache_name_forward or test_config", {"passed": 3}),  # test_config*: 2
    ],
    # jamba's and llava's selections passed on kept scaffolds of the helper branch but were not run
    # through this file before the merge: they join once seen passing here (see the stop-9 note).
}


def _counts(stdout: str) -> dict[str, int]:
    last = stdout.strip().splitlines()[-1]
    found = {k: int(n) for n, k in re.findall(r"(\d+) (passed|failed|skipped|error)", last)}
    return {k: found.get(k, 0) for k in ("passed", "failed", "error")}


@pytest.mark.slow
@pytest.mark.parametrize("source", list(CASES))
def test_generated_suite_follows_the_model(source: str, sdist_fork: Path, tmp_path: Path) -> None:
    fork = clone_fork(sdist_fork, tmp_path / "fork")
    assert main(["new-model", "acme", "--like", source, "--yes", "--repo", str(fork), "--date", "2026-12-02"]) == 0
    for path, selection, expected in CASES[source]:
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", path, "-k", selection, "-q", "-p", "no:cacheprovider", "-p", "no:xdist"]
            # No `-W ignore`: the cache test asserts the deprecation warning of the old argument name.
            + ["--basetemp", str(tmp_path / "tmp")],
            cwd=fork,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert _counts(proc.stdout) == {**expected, "failed": 0, "error": 0}, (selection, proc.stdout[-4000:])
