"""The suites generated for seq2seq and audio sources follow what each class reads (issue 9), on real scaffolds.

Whisper: its decoder-only causal LM and its encoder-only audio classifier read other inputs than the base
model (token ids; audio without decoder ids), so each gets a standalone test class; attention and hidden
states are checked at the audio encoder's length; its speech-to-text head trains on decoder labels; the
assistant model of assisted decoding has one layer in the encoder *and* the decoder; the attention-dispatch
probe counts the attention modules that ran (a decoder run alone skips its cross-attention).
T5: every row of the text ends with one end-of-sequence token (its classification head pools it); its
encoder-only classes are tested without decoder ids and without training (`T5EncoderModel` takes no labels);
the attention class probed is the one that dispatches (`T5Attention`, not the `T5LayerSelfAttention` that
records it); its relative position bias reaches the attention as a per-head float mask, so the flex
comparison skips with that reason.
BART: the attention heat map reads the encoder's attentions; each Auto class gets a config of its own; its
decoder-only causal LM is one of upstream's `UNSHIFTED_LM_HEADS`, and so is the copy.
Wav2Vec2: its block is the encoder layer (its feature encoder's convolutions are checkpointed too), its
pre-training head takes no labels, its waveforms give the x-vector head enough frames.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.like.generated_suite import EFFICIENCY, MODELING, run_selection, scaffold_like

CASES = {
    "whisper": (
        "AcmeInputIdsModelTest and test_for_causal_lm or AcmeInputFeaturesModelTest and test_attention_outputs"
        " or AcmeModelTest and (test_attention_outputs or test_hidden_states_output or test_training and not checkpointing)"
        " or assisted_decoding or backend_is_dispatched"
        # the resize tests edit `input_ids`: here the decoder ids; the decoder-only causal LM's cross-attention
        # takes no gradient without encoder states (`encoder_outputs`)
        " or AcmeModelTest and test_resize_embeddings_untied and not deepspeed"
        " or AcmeInputIdsModelTest and test_training_gradient_checkpointing",
        {"passed": 12, "skipped": 0},
    ),
    "t5": (
        "AcmeModelTest and test_for_sequence_classification or AcmeInputIdsModelTest and test_training and not checkpointing"
        " or AcmeInputIdsModelTest and test_attention_outputs or backend_is_dispatched"
        # its relative position bias is a per-head float mask, which the fork's flex integration cannot add
        " or test_attention_backend_matches_eager and flex",
        {"passed": 3, "skipped": 3},
    ),
    "bart": (
        # the encoder's attention map; a config of its own per Auto class (its QA head sets 2 labels);
        # upstream's `shift_labels` test passes its standalone decoder (`UNSHIFTED_LM_HEADS`) by, and the copy too
        "test_attention_heat_map_png or AcmeModelTest and test_auto_classes_save_and_load"
        " or AcmeInputIdsModelTest and shift_labels",
        {"passed": 2, "skipped": 1},
    ),
    "wav2vec2": (
        # training on the heads that take and get labels; waveforms of 16 frames (the x-vector's TDNN spans 15);
        # no token embeddings; the source names no blocks to keep whole
        "AcmeModelTest and (test_training or test_model_get_set_embeddings or test_batching_equivalence)"
        " or device_map_auto_keeps or fsdp2_wrap_policy",
        {"passed": 5, "skipped": 3},
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("source", list(CASES))
def test_generated_suites_follow_what_each_class_reads(source: str, sdist_fork: Path, tmp_path: Path) -> None:
    fork = scaffold_like(source, sdist_fork, tmp_path)
    selection, expected = CASES[source]
    counts, stdout = run_selection(fork, [MODELING, EFFICIENCY], selection, tmp_path)
    assert counts == {**expected, "failed": 0, "error": 0}, stdout[-4000:]
