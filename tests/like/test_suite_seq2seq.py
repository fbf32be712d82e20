"""The suites generated for seq2seq and audio sources follow what each class reads (issue 9), on real scaffolds.

Whisper: its decoder-only causal LM and its encoder-only audio classifier read other inputs than the base
model (token ids; audio without decoder ids), so each gets a standalone test class; attention and hidden
states are checked at the audio encoder's length; its speech-to-text head trains on decoder labels; the
assistant model of assisted decoding has one layer in the encoder *and* the decoder; the attention-dispatch
probe counts the attention modules that ran (a decoder run alone skips its cross-attention).
T5: every row of the text ends with one end-of-sequence token (its classification head pools it); its
encoder-only classes are tested without decoder ids and without training (`T5EncoderModel` takes no labels);
the attention class probed is the one that dispatches (`T5Attention`, not the `T5LayerSelfAttention` that
records it).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import clone_fork
from transformers_scaffold.cli import main

MODELING = "tests/models/acme/test_modeling_acme.py"
EFFICIENCY = "tests/models/acme/test_efficiency_acme.py"
CASES = {
    "whisper": (
        "AcmeInputIdsModelTest and test_for_causal_lm or AcmeInputFeaturesModelTest and test_attention_outputs"
        " or AcmeModelTest and (test_attention_outputs or test_hidden_states_output or test_training and not checkpointing)"
        " or assisted_decoding or backend_is_dispatched",
        {"passed": 7, "skipped": 0},
    ),
    "t5": (
        "AcmeModelTest and test_for_sequence_classification or AcmeInputIdsModelTest and test_training and not checkpointing"
        " or AcmeInputIdsModelTest and test_attention_outputs or backend_is_dispatched",
        {"passed": 3, "skipped": 1},
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("source", list(CASES))
def test_generated_suites_follow_what_each_class_reads(source: str, sdist_fork: Path, tmp_path: Path) -> None:
    fork = clone_fork(sdist_fork, tmp_path / "fork")
    assert main(["new-model", "acme", "--like", source, "--yes", "--repo", str(fork), "--date", "2026-12-02"]) == 0
    selection, expected = CASES[source]
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", MODELING, EFFICIENCY, "-k", selection, "-rA", "-q", "-p", "no:cacheprovider"]
        + ["-W", "ignore", "--basetemp", str(tmp_path / "tmp")],
        cwd=fork,
        capture_output=True,
        text=True,
        timeout=900,
    )
    counts = {k: int(n) for n, k in re.findall(r"(\d+) (passed|failed|skipped|error)", proc.stdout.splitlines()[-1])}
    assert {k: counts.get(k, 0) for k in ("passed", "skipped", "failed", "error")} == {
        **expected,
        "failed": 0,
        "error": 0,
    }, proc.stdout[-4000:]
