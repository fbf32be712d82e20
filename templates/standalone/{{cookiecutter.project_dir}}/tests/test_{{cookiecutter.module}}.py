# Copyright {{ cookiecutter.year }} The HuggingFace Inc. team. All rights reserved.
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.
"""Tests of the packaged {{ cookiecutter.title }} model: registration with the auto classes, every head's
forward and loss, save/load, and loading a checkpoint with `trust_remote_code` in a process that
cannot import this package."""

import json
import subprocess
import sys
import textwrap

import pytest
import torch

import {{ cookiecutter.package }}
from transformers import (
    AutoConfig,
{%- for auto_class in cookiecutter.spec.auto_classes %}
    {{ auto_class }},
{%- endfor %}
)

TINY = json.loads('{{ cookiecutter.spec.tiny_config_json }}')
VOCAB = TINY["vocab_size"]
HEADS = [
{%- for auto_class, cls in cookiecutter.spec.registrations %}
    ({{ auto_class }}, {{ cookiecutter.package }}.{{ cls }}),
{%- endfor %}
]
# Heads whose forward the generic inputs below can drive, with their loss arguments (by auto class).
LM_HEADS = ("AutoModelForCausalLM", "AutoModelForMaskedLM")
PRIMARY = {{ cookiecutter.spec.primary[0] }}


def tiny_config(**overrides):
    return AutoConfig.for_model("{{ cookiecutter.model_type }}", **{**TINY, **overrides})


def inputs(batch=2, length=7, seed=0):
    generator = torch.Generator().manual_seed(seed)
    input_ids = torch.randint(3, VOCAB, (batch, length), generator=generator)
    return {"input_ids": input_ids, "attention_mask": torch.ones_like(input_ids)}


def test_config_is_registered():
    config = tiny_config()
    assert isinstance(config, {{ cookiecutter.package }}.{{ cookiecutter.spec.config_class }})
    assert config.model_type == "{{ cookiecutter.model_type }}"


@pytest.mark.parametrize("auto_class, cls", HEADS, ids=[cls.__name__ for _, cls in HEADS])
def test_auto_class_builds_the_package_class(auto_class, cls):
    model = auto_class.from_config(tiny_config())
    assert type(model) is cls


@pytest.mark.parametrize("auto_class, cls", HEADS, ids=[cls.__name__ for _, cls in HEADS])
def test_forward_and_backward(auto_class, cls):
    torch.manual_seed(0)
    name = auto_class.__name__
    labelled = name in ("AutoModelForSequenceClassification", "AutoModelForTokenClassification")
    # Question answering keeps the default two labels (start, end) that some heads split on.
    model = auto_class.from_config(tiny_config(num_labels=3) if labelled else tiny_config())
    batch = inputs()
    if name in LM_HEADS:
        out = model(**batch, labels=batch["input_ids"])
        assert out.logits.shape == (2, 7, VOCAB)
    elif name == "AutoModelForSequenceClassification":
        out = model(**batch, labels=torch.tensor([0, 2]))
        assert out.logits.shape == (2, 3)
    elif name == "AutoModelForTokenClassification":
        out = model(**batch, labels=torch.zeros(2, 7, dtype=torch.long))
        assert out.logits.shape == (2, 7, 3)
    elif name == "AutoModelForQuestionAnswering":
        out = model(**batch, start_positions=torch.tensor([1, 2]), end_positions=torch.tensor([3, 4]))
        assert out.start_logits.shape == (2, 7)
    elif name == "AutoModel":
        out = model(**batch)
        assert out.last_hidden_state.shape[:2] == (2, 7)
        return
    else:
        pytest.skip(f"{cls.__name__}: {name} needs inputs the generic test does not build")
    assert torch.isfinite(out.loss)
    out.loss.backward()
    assert all(p.grad is not None for p in model.parameters() if p.requires_grad)


def test_save_and_reload_gives_the_same_logits(tmp_path):
    torch.manual_seed(0)
    model = PRIMARY.from_config(tiny_config()).eval()
    batch = inputs()
    with torch.no_grad():
        expected = model(**batch).logits
    model.save_pretrained(tmp_path)
    saved = json.loads((tmp_path / "config.json").read_text())
    assert saved["model_type"] == "{{ cookiecutter.model_type }}"
    assert "{{ cookiecutter.spec.primary[0] }}" in saved["auto_map"]
    reloaded = PRIMARY.from_pretrained(tmp_path).eval()
    with torch.no_grad():
        torch.testing.assert_close(reloaded(**batch).logits, expected)

{% if cookiecutter.spec.generative == "yes" %}

def test_greedy_generate_with_and_without_cache_agree():
    torch.manual_seed(0)
    model = {{ cookiecutter.spec.generator[0] }}.from_config(tiny_config()).eval()
    prompt = inputs(batch=1, length=4)
    kwargs = {"max_new_tokens": 5, "do_sample": False, "pad_token_id": 0}
    cached = model.generate(**prompt, use_cache=True, **kwargs)
    uncached = model.generate(**prompt, use_cache=False, **kwargs)
    assert cached.shape == (1, 9)
    assert torch.equal(cached, uncached)
{% endif %}

# Run in a child process that refuses to import the package: only the checkpoint's own copy of the code
# (auto_map + trust_remote_code) can build the model there.
REMOTE_CODE = textwrap.dedent(
    """
    import importlib.abc, json, sys
    import torch

    class Refuse(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "{{ cookiecutter.package }}" or name.startswith("{{ cookiecutter.package }}."):
                raise ImportError("the package is hidden from this process")
            return None

    sys.meta_path.insert(0, Refuse())
    from transformers import {{ cookiecutter.spec.primary[0] }}

    checkpoint, ids = sys.argv[1], json.loads(sys.argv[2])
    model = {{ cookiecutter.spec.primary[0] }}.from_pretrained(checkpoint, trust_remote_code=True).eval()
    with torch.no_grad():
        logits = model(input_ids=torch.tensor(ids)).logits
    print(json.dumps({"module": type(model).__module__, "logits": logits.tolist()}))
    """
)


def test_checkpoint_loads_with_trust_remote_code_without_the_package(tmp_path):
    torch.manual_seed(0)
    model = PRIMARY.from_config(tiny_config()).eval()
    ids = inputs(batch=1, length=5)["input_ids"]
    with torch.no_grad():
        expected = model(input_ids=ids).logits
    model.save_pretrained(tmp_path)
    assert (tmp_path / "modeling_{{ cookiecutter.module }}.py").is_file()
    proc = subprocess.run(
        [sys.executable, "-c", REMOTE_CODE, str(tmp_path), json.dumps(ids.tolist())],
        capture_output=True,
        text=True,
        env={"HF_HUB_OFFLINE": "1", "PATH": "", "HOME": str(tmp_path), "HF_HOME": str(tmp_path / "hf")},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["module"].startswith("transformers_modules"), out["module"]
    torch.testing.assert_close(torch.tensor(out["logits"]), expected)
