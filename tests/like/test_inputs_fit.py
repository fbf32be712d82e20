"""Example inputs that fit forwards the table has no row for (`like/inputs.py`, `facts/inputs.py`), fast and static."""

from __future__ import annotations

from types import SimpleNamespace

from transformers_scaffold.like.example_inputs import candidates
from transformers_scaffold.like.inputs import input_recipe

CONFIG = "class AcmeConfig:\n    def __init__(self, hidden_size=32, image_size=32):\n        pass\n"


def _recipe(forward: str) -> dict[str, dict]:
    modeling = f"class AcmeModel(AcmePreTrainedModel):\n{forward}"
    return {e["name"]: e for e in input_recipe(modeling, CONFIG, "AcmeModel")}


def test_a_required_argument_without_a_row_gets_its_documented_type_and_shape() -> None:
    recipe = _recipe(
        "    def forward(self, query_embeds, prompt_masks, task_ids, **kwargs):\n"
        '        """\n'
        "        query_embeds (`torch.Tensor` of shape `(batch_size, sequence_length, hidden_size)`):\n"
        "            Queries.\n"
        "        prompt_masks (`torch.LongTensor` of shape `(batch_size, height, width)`):\n"
        "            Masks.\n"
        "        task_ids (`torch.LongTensor` of shape `(batch_size, sequence_length)`):\n"
        "            Tokens.\n"
        '        """\n'
    )
    assert recipe["query_embeds"]["kind"] == "float"
    assert recipe["query_embeds"]["shapes"][0][:2] == ["batch", "seq"]
    config = SimpleNamespace(hidden_size=24, image_size=16)
    inputs = next(candidates(list(recipe.values()), config))
    assert tuple(inputs["query_embeds"].shape) == (2, 8, 24)  # the width read from the config
    assert recipe["prompt_masks"]["kind"] == "ones" and tuple(inputs["prompt_masks"].shape) == (2, 16, 16)
    assert recipe["task_ids"]["kind"] == "ids" and inputs["task_ids"].dtype.is_floating_point is False


def test_an_undocumented_required_hidden_states_tries_a_sequence_features_then_an_image() -> None:
    recipe = _recipe("    def forward(self, hidden_states, **kwargs):\n        return hidden_states\n")
    config = SimpleNamespace(hidden_size=24, input_dim=40, num_channels=3, image_size=16)
    shapes = [tuple(i["hidden_states"].shape) for i in candidates(list(recipe.values()), config)]
    assert shapes[0] == (2, 8, 24)  # the sub-model's own width
    assert shapes[1][0::2] == (2, 40)  # audio features of its input size
    assert shapes[2] == (2, 3, 16, 16)  # a backbone's image


def test_pixel_values_try_larger_images_and_read_a_backbone_config() -> None:
    recipe = _recipe("    def forward(self, pixel_values, **kwargs):\n        pass\n")
    config = SimpleNamespace(backbone_config=SimpleNamespace(image_size=[48, 40], num_channels=4))
    shapes = [tuple(i["pixel_values"].shape) for i in candidates(list(recipe.values()), config)]
    assert shapes[0] == (2, 4, 48, 40)  # the backbone's size, not the table's default 32
    # Then larger ones, for models whose downsampling leaves nothing of a tiny image.
    assert len(shapes) >= 3 and all(s[2] > 48 for s in shapes[1:3])
    # And pairs of images (keypoint matchers take `(batch, 2, channels, height, width)`).
    assert (2, 2, 4, 48, 40) in shapes


def test_an_audio_features_mask_is_tried_after_every_layout_without_it() -> None:
    recipe = _recipe("    def forward(self, input_features, input_features_mask=None, **kwargs):\n        pass\n")
    assert list(recipe) == ["input_features", "input_features_mask"]
    config = SimpleNamespace(num_mel_bins=16, max_source_positions=10)
    rounds = [sorted(i) for i in candidates(list(recipe.values()), config)]
    layouts = len(recipe["input_features"]["shapes"])
    # Some encoders take another path with a mask: every layout without it first, then each with it.
    assert rounds == [["input_features"]] * layouts + [["input_features", "input_features_mask"]] * layouts
    for inputs in list(candidates(list(recipe.values()), config))[layouts:]:  # the mask's frames match
        assert inputs["input_features_mask"].shape[1] in tuple(inputs["input_features"].shape[1:])


def test_a_waveform_tries_longer_audio_after_the_short_one() -> None:
    recipe = _recipe("    def forward(self, input_values, **kwargs):\n        pass\n")
    lengths = [i["input_values"].shape[-1] for i in candidates(list(recipe.values()), SimpleNamespace())]
    assert lengths[0] < max(lengths)  # the short one first; codecs with long strides get a longer one


def test_a_documented_product_of_config_fields_shapes_token_ids() -> None:
    config_text = "class AcmeConfig:\n    def __init__(self, num_codebooks=4, vocab_size=99):\n        pass\n"
    modeling = (
        "class AcmeModel(AcmePreTrainedModel):\n"
        "    def forward(self, input_ids=None, **kwargs):\n"
        '        """\n'
        "        input_ids (`torch.LongTensor` of shape `(batch_size * num_codebooks, sequence_length)`):\n"
        "            Codes, one row per codebook.\n"
        '        """\n'
    )
    recipe = list(input_recipe(modeling, config_text, "AcmeModel"))
    inputs = next(candidates(recipe, SimpleNamespace(num_codebooks=4, vocab_size=99)))
    assert tuple(inputs["input_ids"].shape) == (2 * 4, 8)  # the decoder reshapes to (batch, codebooks, seq)


def test_a_vocoder_spectrogram_has_the_vocoders_mel_bins() -> None:
    recipe = _recipe("    def forward(self, spectrogram, **kwargs):\n        pass\n")
    inputs = next(candidates(list(recipe.values()), SimpleNamespace(model_in_dim=20)))
    assert tuple(inputs["spectrogram"].shape) == (2, 8, 20)


def test_a_lagged_time_series_gets_its_context_plus_its_largest_lag_of_past() -> None:
    config_text = (
        "class AcmeConfig:\n"
        "    def __init__(self, context_length=None, lags_sequence=(1, 2, 3), num_time_features=0):\n"
        "        pass\n"
    )
    modeling = (
        "class AcmeModel(AcmePreTrainedModel):\n"
        "    def forward(self, past_values, past_time_features, past_observed_mask, future_values=None):\n"
        '        """\n'
        "        past_values (`torch.Tensor` of shape `(batch_size, sequence_length)`):\n"
        "            The context and the lags before it.\n"
        "        past_time_features (`torch.Tensor` of shape `(batch_size, sequence_length, num_features)`):\n"
        "            Time features.\n"
        '        """\n'
    )
    recipe = list(input_recipe(modeling, config_text, "AcmeModel"))
    assert [e["name"] for e in recipe] == ["past_values", "past_time_features", "past_observed_mask"]
    config = SimpleNamespace(context_length=4, lags_sequence=[1, 2, 7], num_time_features=2, input_size=1)
    inputs = next(candidates(recipe, config))
    assert tuple(inputs["past_values"].shape) == (2, 4 + 7)  # the model slices the lags off this past
    assert tuple(inputs["past_time_features"].shape) == (2, 11, 2)
    assert tuple(inputs["past_observed_mask"].shape) == (2, 11)


def test_an_unlagged_series_keeps_its_context_length_and_its_documented_sequence() -> None:
    config_text = "class AcmeConfig:\n    def __init__(self, context_length=32):\n        pass\n"
    modeling = (
        "class AcmeModel(AcmePreTrainedModel):\n"
        "    def forward(self, past_values, **kwargs):\n"
        '        """\n'
        "        past_values (`torch.Tensor` of shape `(batch_size, sequence_length)`):\n"
        "            The context.\n"
        '        """\n'
    )
    recipe = list(input_recipe(modeling, config_text, "AcmeModel"))
    shapes = [tuple(i["past_values"].shape) for i in candidates(recipe, SimpleNamespace(context_length=16))]
    assert shapes[0] == (2, 8) and (2, 16, 1) in shapes  # TimesFM-likes: any length; then the context


def test_an_undocumented_hidden_states_tries_channels_first_latents_and_a_waveform() -> None:
    # A codec's decoder takes latents `(batch, hidden, frames)`, its encoder a waveform `(batch, channels, samples)`
    # (VibeVoice's tokenizer halves): after the sequence, audio-feature and image layouts.
    recipe = _recipe("    def forward(self, hidden_states, padding_cache=None, **kwargs):\n        pass\n")
    config = SimpleNamespace(hidden_size=24, channels=1)
    shapes = [tuple(i["hidden_states"].shape) for i in candidates(list(recipe.values()), config)]
    assert shapes[3] == (2, 24, 8)
    assert shapes[4:] == [(2, 1, 1600), (2, 1, 16000)]  # longer next: strided convolutions eat short audio


def test_a_codec_decoders_documented_latent_frames_are_a_sequence() -> None:
    config_text = "class AcmeConfig:\n    def __init__(self, latent_dim=32):\n        pass\n"
    modeling = (
        "class AcmeDecoderModel(AcmePreTrainedModel):\n"
        "    def forward(self, latents, padding_mask=None, **kwargs):\n"
        '        """\n'
        "        latents (`torch.Tensor` of shape `(batch_size, latent_dim, frames)`):\n"
        "            Latents to decode (Mimi's, Pocket TTS's decoder).\n"
        '        """\n'
    )
    recipe = list(input_recipe(modeling, config_text, "AcmeDecoderModel"))
    assert [e["name"] for e in recipe] == ["latents"]
    inputs = next(candidates(recipe, SimpleNamespace(latent_dim=12)))
    assert tuple(inputs["latents"].shape) == (2, 12, 8)


def test_audio_lengths_follow_a_models_own_framing() -> None:
    # Qwen3-ASR's encoder takes whole chunks of `2 * n_window` frames (and has no `max_source_positions`).
    recipe = _recipe("    def forward(self, input_features, input_features_mask, **kwargs):\n        pass\n")
    inputs = next(candidates(list(recipe.values()), SimpleNamespace(num_mel_bins=16, n_window=50)))
    assert tuple(inputs["input_features"].shape) == (2, 16, 100) and tuple(inputs["input_features_mask"].shape) == (
        2,
        100,
    )
    both = SimpleNamespace(num_mel_bins=16, n_window=50, max_source_positions=10)  # Whisper-likes: exactly 2 x 10
    assert next(candidates(list(recipe.values()), both))["input_features"].shape[-1] == 20
    # Muse Spark's audio tower frames its waveform by `samples_per_token`: a multiple of it.
    waveform = _recipe("    def forward(self, input_values, **kwargs):\n        pass\n")
    assert (
        next(candidates(list(waveform.values()), SimpleNamespace(samples_per_token=1920)))["input_values"].shape[-1]
        == 4 * 1920
    )
    assert next(candidates(list(waveform.values()), SimpleNamespace()))["input_values"].shape[-1] == 1600


def test_stacked_audio_frames_are_tried_at_the_stacked_input_size() -> None:
    # Fun-ASR-Nano's encoder stacks 7 mel frames: its first layer takes `input_size` = 7 x 80 features.
    recipe = _recipe("    def forward(self, input_features, input_features_mask, **kwargs):\n        pass\n")
    config = SimpleNamespace(num_mel_bins=80, input_size=560, max_source_positions=16)
    shapes = [tuple(i["input_features"].shape) for i in candidates(list(recipe.values()), config)]
    assert shapes[0] == (2, 80, 32) and (2, 32, 560) in shapes


def test_audio_features_are_tried_as_a_one_channel_spectrogram_image_last() -> None:
    # CLAP's audio encoder is a Swin over a (batch, 1, frames, mel) spectrogram.
    recipe = _recipe("    def forward(self, input_features, is_longer=None, **kwargs):\n        pass\n")
    shapes = [
        tuple(i["input_features"].shape) for i in candidates(list(recipe.values()), SimpleNamespace(num_mel_bins=64))
    ]
    assert shapes[0] == (2, 64, 128) and shapes[-1] == (2, 1, 128, 64)


def test_several_optional_modalities_are_tried_together_then_each_alone() -> None:
    # Pop2Piano takes `input_ids` or `input_features` (they both become the encoder's embeddings).
    recipe = _recipe(
        "    def forward(self, input_ids=None, input_features=None, decoder_input_ids=None):\n        pass\n"
    )
    rounds = [sorted(i) for i in candidates(list(recipe.values()), SimpleNamespace(num_mel_bins=16))]
    assert rounds[0] == ["decoder_input_ids", "input_features", "input_ids"]
    assert ["decoder_input_ids", "input_ids"] in rounds and ["decoder_input_ids", "input_features"] in rounds
    together = sum(r == rounds[0] for r in rounds)  # every layout with both first
    assert rounds[:together] == [rounds[0]] * together
    # A single modality, or a required one, is never left out.
    single = _recipe("    def forward(self, input_values, input_features=None):\n        pass\n")
    assert all("input_values" in i for i in candidates(list(single.values()), SimpleNamespace()))


def test_a_required_argument_annotated_as_optional_gets_none() -> None:
    # Phi-4's audio encoder: `forward(self, hidden_states, mask: torch.Tensor | None)`, no default.
    recipe = _recipe(
        "    def forward(self, hidden_states, mask: torch.Tensor | None, lengths: torch.Tensor):\n        pass\n"
    )
    assert (
        recipe["mask"]["kind"] == "const"
        and next(candidates(list(recipe.values()), SimpleNamespace()))["mask"] is None
    )
    assert "lengths" not in recipe  # required and not optional: no value to guess


def test_log_mel_frames_by_another_name_come_with_a_boolean_padding_mask() -> None:
    # Gemma 3n's audio encoder: `forward(self, audio_mel, audio_mel_mask)`; `masked_fill` needs a bool mask.
    recipe = _recipe("    def forward(self, audio_mel, audio_mel_mask, **kwargs):\n        pass\n")
    inputs = next(candidates(list(recipe.values()), SimpleNamespace(input_feat_size=24, max_source_positions=8)))
    assert tuple(inputs["audio_mel"].shape) == (2, 16, 24)  # (batch, frames, the encoder's input features)
    assert inputs["audio_mel_mask"].dtype.is_floating_point is False and not inputs["audio_mel_mask"].any()
    assert str(inputs["audio_mel_mask"].dtype) == "torch.bool"


def test_values_are_tried_as_hidden_states_last_with_the_decoders_values() -> None:
    # SpeechT5Model's pre-nets belong to its heads: it takes hidden states as `input_values` and
    # `decoder_input_values`, after the waveform layouts failed.
    recipe = _recipe("    def forward(self, input_values=None, decoder_input_values=None, **kwargs):\n        pass\n")
    assert "decoder_input_values" in recipe
    shapes = [
        tuple(i["input_values"].shape) for i in candidates(list(recipe.values()), SimpleNamespace(hidden_size=24))
    ]
    assert shapes[0] == (2, 1600) and shapes[-1] == (2, 8, 24)
    last = list(candidates(list(recipe.values()), SimpleNamespace(hidden_size=24)))[-1]
    assert tuple(last["decoder_input_values"].shape) == (2, 8, 24)


def test_a_forward_of_optional_non_modality_arguments_gets_the_documented_ones() -> None:
    # Decision Transformer: states, actions, rewards... all optional; token ids would not do.
    config_text = "class AcmeConfig:\n    def __init__(self, state_dim=17, act_dim=4):\n        pass\n"
    modeling = (
        "class AcmeModel(AcmePreTrainedModel):\n"
        "    def forward(self, states=None, actions=None, timesteps=None, attention_mask=None, return_dict=None):\n"
        '        """\n'
        "        states (`torch.Tensor` of shape `(batch_size, episode_length, state_dim)`):\n"
        "            States.\n"
        "        actions (`torch.Tensor` of shape `(batch_size, episode_length, act_dim)`):\n"
        "            Actions.\n"
        "        timesteps (`torch.LongTensor` of shape `(batch_size, episode_length)`):\n"
        "            Steps.\n"
        "        attention_mask (`torch.LongTensor` of shape `(batch_size, episode_length)`):\n"
        "            Mask.\n"
        '        """\n'
    )
    recipe = list(input_recipe(modeling, config_text, "AcmeModel"))
    assert [e["name"] for e in recipe] == ["states", "actions", "timesteps"]  # no mask: all-ones is the default
    inputs = next(candidates(recipe, SimpleNamespace(state_dim=17, act_dim=4)))
    assert tuple(inputs["states"].shape) == (2, 8, 17) and tuple(inputs["actions"].shape) == (2, 8, 4)


def test_fields_missing_from_the_config_are_read_from_its_other_sub_configs() -> None:
    # FastSpeech2-with-HiFi-GAN: the vocabulary is its `model_config`'s (78 tokens), not the default 99.
    recipe = _recipe("    def forward(self, input_ids, **kwargs):\n        pass\n")
    model = SimpleNamespace(vocab_size=5, to_dict=dict)
    config = SimpleNamespace(sub_configs={"model_config": object, "vocoder_config": object}, model_config=model)
    ids = [next(candidates(list(recipe.values()), config))["input_ids"] for _ in range(20)]
    assert max(int(i.max()) for i in ids) < 5
    own = SimpleNamespace(vocab_size=50, sub_configs={"model_config": object}, model_config=model)
    assert max(int(next(candidates(list(recipe.values()), own))["input_ids"].max()) for _ in range(20)) >= 5
