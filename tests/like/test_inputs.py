"""Example inputs from the source (`like/inputs.py`, rows of `facts/inputs.py`) fit the real model's forward."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from transformers_scaffold.facts import ForkFacts
from transformers_scaffold.facts.tasks import BASE_MAPPING
from transformers_scaffold.like.inputs import documented_shapes, input_recipe
from transformers_scaffold.like.source import load_source

SRC = Path(__file__).resolve().parents[2] / "src"


def _recipe(fork: Path, model_type: str) -> list[dict]:
    src = load_source(ForkFacts(fork), model_type)
    base = next(c for c in src.model_all if BASE_MAPPING in src.registrations.get(c, ()))
    return list(input_recipe(src.modeling_text, src.config_text, base))


def _names(recipe: list[dict]) -> list[str]:
    return [entry["name"] for entry in recipe]


# Builds each source model of the fork from its shrunk config (`like/shrink.py`) and runs its forward
# on the recipe's inputs (`like/example_inputs.py`), the layout alternatives in order.
_FORWARD = r"""
import json, sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import torch
torch.set_num_threads(1)
from transformers import AutoConfig, AutoModel
from transformers_scaffold.like.example_inputs import candidates
from transformers_scaffold.like.shrink import tiny_kwargs
out = {}
for model_type, recipe in json.loads(sys.argv[3]).items():
    config = type(AutoConfig.for_model(model_type))(**tiny_kwargs(model_type))
    model = AutoModel.from_config(config).eval()
    errors = []
    for index, inputs in enumerate(candidates(recipe, config)):
        try:
            with torch.no_grad():
                model(**inputs)
            out[model_type] = {"layout": index}
            break
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}"[:300])
    else:
        out[model_type] = {"errors": errors}
print(json.dumps(out))
"""


def _forward(fork: Path, recipes: dict[str, list[dict]]) -> dict[str, dict]:
    proc = subprocess.run(
        [sys.executable, "-c", _FORWARD, str(fork / "src"), str(SRC), json.dumps(recipes)],
        capture_output=True,
        text=True,
        timeout=600,
        env={"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


# One source per modality: vision, audio features, raw waveform (flat and with a channel axis),
# dual encoder (text and image), video, encoder-decoder, multimodal-RoPE text (the shrunk sections),
# Qwen-VL-like vision tower (flattened patches + grid), hybrid linear-attention cache, time series.
SOURCES = (
    "vit",
    "whisper",
    "wav2vec2",
    "dac",
    "clip",
    "videomae",
    "t5",
    "qwen2_vl",
    "qwen2_5_vl_vision",
    "jamba",
    "patchtst",
)


@pytest.mark.slow
def test_every_modality_recipe_runs_the_real_forward(sdist_fork: Path) -> None:
    recipes = {t: _recipe(sdist_fork, t) for t in SOURCES}
    results = _forward(sdist_fork, recipes)
    failed = {t: r["errors"] for t, r in results.items() if "errors" in r}
    assert not failed, failed
    assert set(results) == set(SOURCES)


def test_recipes_follow_the_forward_signature(sdist_fork: Path) -> None:
    # Dual encoder: both modalities its forward names.
    assert _names(_recipe(sdist_fork, "clip"))[:2] == ["input_ids", "pixel_values"]
    # Placeholder image tokens in the text (LLaVA-likes): text only, the features must match them.
    assert "pixel_values" not in _names(_recipe(sdist_fork, "llava"))
    # Encoder-decoder: decoder inputs too.
    t5 = _names(_recipe(sdist_fork, "t5"))
    assert t5[0] == "input_ids" and "decoder_input_ids" in t5
    # Video: five-dimensional pixel values, read from the config's frame count.
    video = _recipe(sdist_fork, "videomae")[0]
    assert video["name"] == "pixel_values" and len(video["shapes"][0]) == 5
    # Hybrid caches: no cache for the one forward.
    assert {"name": "use_cache", "kind": "const", "shapes": [], "configs": [], "value": False} in _recipe(
        sdist_fork, "jamba"
    )
    # Placeholder image tokens and a grid argument: text only, no grid without patches.
    assert "image_grid_thw" not in _names(_recipe(sdist_fork, "qwen2_vl"))
    # Vision tower on flattened patches: the patches and their grid.
    tower = _recipe(sdist_fork, "qwen2_5_vl_vision")
    assert _names(tower)[:2] == ["hidden_states", "grid_thw"] and len(tower[0]["shapes"][0]) == 2


def test_a_documented_shape_decides_the_layout(sdist_fork: Path) -> None:
    # DAC documents `input_values` as (batch_size, 1, time_steps): the channel axis comes first.
    dac = next(e for e in _recipe(sdist_fork, "dac") if e["name"] == "input_values")
    assert dac["shapes"][0][:2] == ["batch", 1]
    # Wav2Vec2 documents nothing of the sort: the flat waveform comes first.
    wav = next(e for e in _recipe(sdist_fork, "wav2vec2") if e["name"] == "input_values")
    assert len(wav["shapes"][0]) == 2


def test_documented_shapes_skip_unknown_words() -> None:
    import ast

    fn = ast.parse(
        'def forward(self, x, y):\n    """\n    x (`torch.Tensor` of shape `(batch_size, 1, time_steps)`):\n'
        '        a.\n    y (`torch.Tensor` of shape `(batch_size, mystery)`):\n        b.\n    """\n'
    ).body[0]
    assert isinstance(fn, ast.FunctionDef)
    shapes = documented_shapes(fn)
    assert shapes["x"][:2] == ("batch", 1) and "y" not in shapes
