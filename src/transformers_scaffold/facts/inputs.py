"""THE input table: forward argument name -> what an example tensor of it looks like, by config field.

One row per forward argument that a model's example inputs may need (`like/inputs.py` picks the
rows a model's forward takes; `like/example_inputs.py` builds tensors from them and the built
config). A shape is a list of dimensions, each one of:

- an int;
- `"batch"`, `"seq"`: the example's batch size and text length;
- `"field|other=default"`: the first of the config fields found (the sub-configs named by the
  row first, then the config itself), else `default`; `"2*field=1"` multiplies it;
- a list of dimensions: their product (flattened patches: `[channels, patch, patch]`);
- `"a+b"`: the sum of such dimensions (a lagged series' past: its context plus its largest lag).

`alternatives` are further shapes tried in order where the layout differs between models and
the source does not document it (log-mel features: Whisper's `(batch, mel, frames)` or the
conformers' `(batch, frames, mel)`): the first one the model's forward accepts wins.
`MODALITY_INPUTS` (in `tasks.py`) says which arguments a task's modality feeds; this table says
how each argument is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Dim = Any  # int | str | list[Dim]

CHANNELS = "num_channels|in_channels|input_channels|channels=3"
IMAGE = "image_size|img_size|input_size|crop_size=32"
IMAGE_WIDTH = "image_size@1|img_size@1|input_size@1|crop_size@1=32"  # `@1`: the second of a (height, width) pair
FRAMES = "num_frames|frames_per_clip=2"
MEL = "num_mel_bins|feature_size|input_feat_per_channel|n_mels|input_dim|input_feat_size=80"
# Stacked features (SeamlessM4T-likes: `feature_size` = stride x mel bins; Fun-ASR-Nano: `input_size` = 7 stacked
# frames x mel bins) name the feature size first.
FEATURES = "feature_projection_input_dim|feature_size|input_feat_per_channel|input_dim|input_size|num_mel_bins=80"
# Twice the encoder positions (Whisper takes exactly that many frames), else twice its chunk window
# (Qwen3-ASR's encoder takes whole chunks of `2 * n_window` frames).
AUDIO_FRAMES = "2*max_source_positions|n_window=64"
# A waveform of 1600 samples, or of 4 tokens where the model frames it by a fixed count (Muse Spark's audio
# tower: `samples_per_token`, 1920, and the length must be a multiple of it).
SAMPLES = "4*samples_per_token=400"
LONG_SAMPLES = 16000
MERGE = "spatial_merge_size|merge_size=1"
SIDE = "4*spatial_merge_size|merge_size=1"
PATCH = "patch_size|spatial_patch_size=14"
TEMPORAL = "temporal_patch_size|patch_temporal=1"
FLAT_SIDE = 4  # patches per side of a flattened image with `spatial_shapes` (SigLIP 2-likes)
CONTEXT = "context_length|sequence_length|context_len=32"
# The past a lagged time series takes (Time Series Transformer, Informer: `lags_sequence`): its context plus
# its largest lag (the lags are sorted; none: 0 more).
PAST = f"{CONTEXT}+lags_sequence@-1=0"
SERIES = "input_size|num_input_channels=1"
HIDDEN = "hidden_size|d_model|embed_dim|hidden_dim=32"

VISION = ("vision_config", "image_config", "backbone_config")
AUDIO = ("audio_config", "encoder_config")
TEXT = ("text_config",)


@dataclass(frozen=True)
class InputRule:
    kind: str  # "ids" | "ones" | "zeros" | "false" (a boolean mask) | "float" | "boxes" | "grid" | "const"
    shape: tuple[Dim, ...] = ()
    sub_configs: tuple[str, ...] = ()  # where the shape's fields are read, before the config itself
    alternatives: tuple[tuple[Dim, ...], ...] = ()
    high: str = "vocab_size=99"  # ids: the exclusive upper bound
    value: Any = None  # const: the value passed

    def recipe(self, name: str, shape: tuple[Dim, ...] | None = None) -> dict[str, Any]:
        """The spec's plain-data form of this row for argument `name` (JSON: lists, no tuples)."""
        shapes = [list(shape)] if shape is not None else []
        shapes += [list(s) for s in (self.shape, *self.alternatives) if s and list(s) not in shapes]
        out: dict[str, Any] = {"name": name, "kind": self.kind, "shapes": shapes, "configs": list(self.sub_configs)}
        if self.kind == "ids":
            out["high"] = self.high
        if self.kind == "const":
            out["value"] = self.value
        return out


_IDS = InputRule("ids", ("batch", "seq"), TEXT)
# Images the config's size makes too small for the model's downsampling (detectors, OCR backbones,
# windowed attention: 32 pixels end at 1 or 0 after five stride-2 stages): larger ones are tried next.
LARGER_IMAGES = (128, 512)
_PIXELS = InputRule(
    "float",
    ("batch", CHANNELS, IMAGE, IMAGE_WIDTH),
    VISION,
    # Then images in groups of two (image pairs of keypoint matchers, several images per text).
    alternatives=(
        *(("batch", CHANNELS, side, side) for side in LARGER_IMAGES),
        ("batch", 2, CHANNELS, IMAGE, IMAGE_WIDTH),
    ),
)
VIDEO_PIXELS = InputRule("float", ("batch", FRAMES, CHANNELS, IMAGE, IMAGE_WIDTH), VISION)
# Flattened patches of a Qwen-VL-like vision tower: one row per patch of the `grid` below
# (flat, or unflattened into (channels, patch, patch) where the tower's first layer is a Conv2d).
_PATCHES = InputRule(
    "float",
    (["batch", SIDE, SIDE], [CHANNELS, TEMPORAL, PATCH, PATCH]),
    VISION,
    alternatives=((["batch", SIDE, SIDE], CHANNELS, PATCH, PATCH),),
)
_GRID = InputRule("grid", ("batch", 1, SIDE, SIDE), VISION)  # one [t, h, w] row per image
_FLAT_PATCHES = InputRule("float", ("batch", FLAT_SIDE * FLAT_SIDE, [CHANNELS, PATCH, PATCH]), VISION)
# A required, undocumented tensor of a sub-model (`hidden_states` of an encoder or a backbone): the
# sequence of its width, else audio features of its input size, else an image, else the channels-first
# sequence of a 1-D convolution stack (a codec's decoder: latents `(batch, hidden, frames)`, its encoder:
# a waveform `(batch, channels, samples)`, longer next); the first accepted wins.
_STATES = InputRule(
    "float",
    ("batch", "seq", HIDDEN),
    alternatives=(
        ("batch", AUDIO_FRAMES, FEATURES),
        ("batch", CHANNELS, IMAGE, IMAGE_WIDTH),
        ("batch", HIDDEN, "seq"),
        ("batch", CHANNELS, SAMPLES),
        ("batch", CHANNELS, LONG_SAMPLES),
    ),
)

ARGS: dict[str, InputRule] = {
    "input_ids": _IDS,
    "decoder_input_ids": _IDS,
    "attention_mask": InputRule("ones", ("batch", "seq")),
    "token_type_ids": InputRule("zeros", ("batch", "seq")),
    "qformer_input_ids": InputRule("ids", ("batch", "seq"), ("qformer_config",)),
    "qformer_attention_mask": InputRule("ones", ("batch", "seq")),
    "bbox": InputRule("boxes", ("batch", "seq", 4)),
    "pixel_values": _PIXELS,
    "pixel_values_videos": VIDEO_PIXELS,
    "input_features": InputRule(
        "float",
        ("batch", MEL, AUDIO_FRAMES),
        AUDIO,
        alternatives=(
            ("batch", AUDIO_FRAMES, MEL),
            ("batch", AUDIO_FRAMES, FEATURES),
            ("batch", FEATURES, AUDIO_FRAMES),
            ("batch", 1, AUDIO_FRAMES, MEL),  # a one-channel spectrogram image (CLAP's Swin audio encoder)
        ),
    ),
    "input_features_mask": InputRule("ones", ("batch", AUDIO_FRAMES), AUDIO),
    # Log-mel frames by another name (Gemma 3n's audio encoder), with a mask where True marks padding.
    "audio_mel": InputRule("float", ("batch", AUDIO_FRAMES, MEL), AUDIO),
    "audio_mel_mask": InputRule("false", ("batch", AUDIO_FRAMES), AUDIO),
    # Longer waveforms next, for codecs whose strided convolutions leave too few samples of 1600.
    "input_values": InputRule(
        "float",
        ("batch", SAMPLES),
        AUDIO,
        # Last: hidden states, for a base model whose pre-nets are its heads' (SpeechT5Model: "float values of
        # the input raw speech waveform, or indices of input sequence tokens in the vocabulary, or hidden states").
        alternatives=(
            ("batch", 1, SAMPLES),
            ("batch", LONG_SAMPLES),
            ("batch", 1, LONG_SAMPLES),
            ("batch", "seq", HIDDEN),
        ),
    ),
    "decoder_input_values": InputRule("float", ("batch", "seq", HIDDEN)),  # the decoder's, likewise
    "past_values": InputRule("float", ("batch", PAST, SERIES), alternatives=(("batch", PAST),)),
    # As long as the values, flat first (the values' documented layout, `(batch_size, sequence_length)`).
    "past_observed_mask": InputRule("ones", ("batch", PAST), alternatives=(("batch", PAST, SERIES),)),
    "past_time_features": InputRule("float", ("batch", PAST, "num_time_features=0")),
    "past_values_padding": InputRule("zeros", ("batch", CONTEXT)),
    "freq": InputRule("zeros", ("batch", 1)),
    "visual_feats": InputRule("float", ("batch", 4, "visual_feat_dim=2048")),
    "visual_pos": InputRule("float", ("batch", 4, "visual_pos_dim=4")),
    "spatial_shapes": InputRule("grid", ("batch", FLAT_SIDE, FLAT_SIDE)),
    "pixel_attention_mask": InputRule("ones", ("batch", FLAT_SIDE * FLAT_SIDE)),
    "grid_thw": _GRID,
    "image_grid_thw": _GRID,
    "use_cache": InputRule("const", value=False),
    "spectrogram": InputRule("float", ("batch", "seq", "model_in_dim|num_mel_bins=80")),  # vocoders
    "hidden_states": _STATES,
    "hidden_state": _STATES,
    "inputs_embeds": _STATES,
    "pixel_mask": InputRule("ones", ("batch", IMAGE, IMAGE_WIDTH), VISION),
}

# Vision towers that take flattened patches, by the argument that says where the patches lie:
# a `grid_thw` (Qwen-VL-likes: the patches are `hidden_states` or `pixel_values`) or `spatial_shapes`.
PATCH_LAYOUTS: dict[str, dict[str, InputRule]] = {
    "grid_thw": {"hidden_states": _PATCHES, "pixel_values": _PATCHES},
    "image_grid_thw": {"hidden_states": _PATCHES, "pixel_values": _PATCHES},
    "spatial_shapes": {"pixel_values": _FLAT_PATCHES},
}
# Primary inputs of one modality each: a model that takes several (CLIP-likes: text and image) gets
# them all, unless its text holds placeholder tokens for the others (LLaVA-likes: text only).
MODALITY_ARGS = ("input_ids", "pixel_values", "pixel_values_videos", "input_features", "input_values")

# Words of a documented shape (`(batch_size, 1, time_steps)` in the forward's docstring) -> dimension.
SHAPE_WORDS: dict[str, Dim] = {
    "batch_size": "batch",
    "num_channels": CHANNELS,
    "channels": CHANNELS,
    "height": IMAGE,
    "width": IMAGE_WIDTH,
    "num_frames": FRAMES,
    "sequence_length": "seq",
    "frames": "seq",  # a codec's latent frames (`latents` of `(batch_size, hidden_size, frames)`)
    "episode_length": "seq",  # the steps of a trajectory (Decision Transformer)
    "time_steps": SAMPLES,
    "audio_length": SAMPLES,
    "num_samples": SAMPLES,
    "feature_size": MEL,
    "num_mel_bins": MEL,
    "max_length": "max_length=64",
    "hidden_size": HIDDEN,
}
# Where an argument's time axis goes by another word: audio "frames" and "sequence_length" are
# feature frames or samples, not video frames or text tokens.
SHAPE_WORDS_OF: dict[str, dict[str, Dim]] = {
    "input_features": {"num_frames": AUDIO_FRAMES, "sequence_length": AUDIO_FRAMES, "time_length": AUDIO_FRAMES},
    "input_values": {"num_frames": SAMPLES, "sequence_length": SAMPLES},
}
# Where the config has `lags_sequence`, the `past_*` arguments' "sequence_length" is the lagged past.
LAGGED_WORDS: dict[str, Dim] = {"sequence_length": PAST}
