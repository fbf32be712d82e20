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

from pathlib import Path

import pytest

from tests.like.generated_suite import EFFICIENCY, MODELING, run_selection, scaffold_like

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
    fork = scaffold_like(source, sdist_fork, tmp_path)
    selection, expected = CASES[source]
    counts, stdout = run_selection(fork, [MODELING, EFFICIENCY], selection, tmp_path)
    assert counts == {**expected, "failed": 0, "error": 0}, stdout[-4000:]
