"""What the template partials render: clean under the fork's own ruff settings, no Jinja left over,
valid Python for every spelling of a name, and the doc page in the upstream format."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import copier
import pytest
from ruff.__main__ import find_ruff_bin

from tests.templates.rendering import TEMPLATE_DIR, answers, render
from transformers_scaffold.kinds import TEMPLATE_KINDS, spec_for_kind
from transformers_scaffold.names import resolve_names
from transformers_scaffold.spec import HeadSpec, ModelSpec

# `}}` alone is legal Python (nested dict literals); every Jinja construct has one of these openers.
LEFTOVER_JINJA = re.compile(r"\{\{|\{%|%\}|\{#")
NAMES = ("acme", "my-model", "MyModel")


def _ruff(fork: Path, paths: list[Path], *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [str(find_ruff_bin()), *args, "--no-cache", *map(str, paths)]
    return subprocess.run(cmd, cwd=fork, capture_output=True, text=True)


def _python_files(root: Path, paths: list[Path]) -> list[Path]:
    return [path for path in paths if path.suffix == ".py" and (root / path).stat().st_size]


@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_rendered_files_are_ruff_clean_under_the_fork_settings(kind: str, fork: Path) -> None:
    rendered = render(fork, kind, "acme")
    files = _python_files(fork, rendered.files)
    assert len(files) == 4  # __init__, configuration, modeling, test_modeling
    for args in (["check"], ["format", "--check"]):
        proc = _ruff(fork, files, *args)
        assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
@pytest.mark.parametrize("raw_name", [*NAMES, "AXel", "GPTNext", "x2-model"])
def test_rendered_files_are_ruff_clean_for_names(kind: str, raw_name: str, sdist_fork: Path, tmp_path: Path) -> None:
    # Upper-case runs (AXel) sort differently case-sensitively; import blocks must match ruff's isort.
    shutil.copy(sdist_fork / "pyproject.toml", tmp_path / "pyproject.toml")
    rendered = render(tmp_path, kind, raw_name)
    files = _python_files(tmp_path, rendered.files)
    for args in (["check"], ["format", "--check"]):
        proc = _ruff(tmp_path, files, *args)
        assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
@pytest.mark.parametrize("raw_name", NAMES)
def test_rendered_files_compile_for_every_spelling(kind: str, raw_name: str, tmp_path: Path) -> None:
    rendered = render(tmp_path, kind, raw_name)
    camel = rendered.names.camel
    for rel in rendered.files:
        text = (tmp_path / rel).read_text(encoding="utf-8")
        assert not LEFTOVER_JINJA.search(text), f"{rel}: {LEFTOVER_JINJA.search(text)}"
        assert not text or (text.endswith("\n") and not text.endswith("\n\n")), rel
        if rel.suffix == ".py" and text:
            compile(text, str(rel), "exec")
    modeling = (tmp_path / rendered.package / f"modeling_{rendered.names.module}.py").read_text(encoding="utf-8")
    declared = re.search(r"^__all__ = \[(.*?)\]", modeling, flags=re.M | re.S)
    assert declared is not None
    exported = set(re.findall(r'"(\w+)"', declared.group(1)))
    assert exported == {rendered.spec.pretrained_class, *rendered.spec.model_classes}
    assert all(name.startswith(camel) for name in exported)
    config = (tmp_path / rendered.package / f"configuration_{rendered.names.module}.py").read_text(encoding="utf-8")
    assert f'model_type = "{rendered.names.model_type}"' in config


@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_efficiency_attributes_are_declared(kind: str, tmp_path: Path) -> None:
    rendered = render(tmp_path, kind, "acme")
    modeling = (tmp_path / rendered.package / "modeling_acme.py").read_text(encoding="utf-8")
    for needle in (
        "supports_gradient_checkpointing = True",
        f"class {rendered.spec.layer_class}(GradientCheckpointingLayer)",
        f'_no_split_modules = ["{rendered.spec.layer_class}"]',
        "ALL_ATTENTION_FUNCTIONS.get_interface(",
        "_supports_sdpa = True",
        "_supports_flash_attn = True",
        "_supports_flex_attn = True",
        "_supports_attention_backend = True",
        "_can_compile_fullgraph = True",
        "_can_record_outputs = {",
        "_tied_weights_keys = {",
        "_tp_plan = {",
        "_pp_plan = {",
    ):
        assert needle in modeling, needle
    # Projections are exact nn.Linear (quantizers skip subclasses): no custom Linear classes.
    assert not re.search(r"class \w+\((nn\.)?Linear\)", modeling)
    config = (tmp_path / rendered.package / "configuration_acme.py").read_text(encoding="utf-8")
    assert "base_model_tp_plan = {" in config and "base_model_pp_plan = {" in config
    assert "@strict" in config
    if kind == "decoder":
        assert "DynamicCache(config=self.config)" in modeling


@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_doc_page_follows_the_upstream_format(kind: str, tmp_path: Path) -> None:
    rendered = render(tmp_path, kind, "my-model")
    doc = (tmp_path / "docs/source/en/model_doc/my-model.md").read_text(encoding="utf-8")
    assert doc.startswith("<!--Copyright 2026 The HuggingFace Team.")
    assert "*This model was released on {release_date} and added to Hugging Face Transformers on 2026-11-27.*" in doc
    assert "\n# My Model\n" in doc
    assert '<hfoptions id="usage">' in doc and '<hfoption id="Pipeline">' in doc and '<hfoption id="AutoModel">' in doc
    sections = re.findall(r"^## (\w+)\n\n\[\[autodoc\]\] (\w+)\n((?:    - \w+\n)*)", doc, flags=re.M)
    assert [title for title, _, _ in sections] == list(rendered.spec.public_classes)
    assert all(title == cls for title, cls, _ in sections)
    methods = {title: re.findall(r"- (\w+)", block) for title, _, block in sections}
    for cls in rendered.spec.model_classes:
        assert methods[cls][0] == "forward", cls
    generating = [cls for cls, names in methods.items() if "generate" in names]
    assert generating == (["MyModelForCausalLM"] if rendered.spec.generative else [])


def _like_spec() -> ModelSpec:
    """A spec shaped like `--like bert` (extra heads the template has no shape check for)."""
    camel = "Acme"
    return ModelSpec(
        kind="like",
        config_class=f"{camel}Config",
        pretrained_class=f"{camel}PreTrainedModel",
        base_class=f"{camel}Model",
        heads=(
            HeadSpec(f"{camel}ForPreTraining", ("MODEL_FOR_PRETRAINING_MAPPING_NAMES",)),
            HeadSpec(f"{camel}LMHeadModel", ("MODEL_FOR_CAUSAL_LM_MAPPING_NAMES",), ("text-generation",)),
            HeadSpec(f"{camel}ForMaskedLM", ("MODEL_FOR_MASKED_LM_MAPPING_NAMES",), ("fill-mask",)),
            HeadSpec(f"{camel}ForMultipleChoice", ("MODEL_FOR_MULTIPLE_CHOICE_MAPPING_NAMES",)),
        ),
        layer_class=f"{camel}Layer",
        attention_class=f"{camel}SelfAttention",
        generative=True,
        tokenizer_class="BertTokenizer",
        tiny_config={
            "vocab_size": 99,
            "hidden_size": 32,
            "num_hidden_layers": 2,
            "num_attention_heads": 4,
            "hidden_act": "gelu",
            "type_vocab_size": 16,
            "rope_parameters": {"rope_type": "default"},
            "layer_types": None,
            "tie_word_embeddings": True,
        },
        source_model_type="bert",
        input_names=("input_ids", "attention_mask", "token_type_ids"),
    )


def test_test_template_is_spec_driven_for_like_models(fork: Path) -> None:
    names = resolve_names("acme")
    spec = _like_spec()
    data = {**answers("like", names, spec), "source_model_type": "bert"}
    copier.run_copy(str(TEMPLATE_DIR), str(fork), data=data, defaults=True, unsafe=True, quiet=True, overwrite=True)
    test_file = Path("tests/models/acme/test_modeling_acme.py")
    text = (fork / test_file).read_text(encoding="utf-8")
    assert not LEFTOVER_JINJA.search(text)
    for args in (["check"], ["format", "--check"]):
        proc = _ruff(fork, [test_file], *args)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    # Every class is tested, each head's mapping is asserted, token types are fed, generation is covered.
    assert "    ALL_MODEL_CLASSES = (\n" + "".join(f"        {cls},\n" for cls in spec.model_classes) + "    )\n" in text
    assert '("MODEL_FOR_MULTIPLE_CHOICE_MAPPING_NAMES", "AcmeForMultipleChoice")' in text
    assert 'inputs["token_type_ids"] = ids_tensor' in text
    assert "    *generation_mixin(c for c in ALL_MODEL_CLASSES if reads(c) == reads_of_base()),\n" in text
    assert "def test_greedy_generate_matches_with_and_without_cache" in text
    assert 'pretraining_head_names = ("AcmeForPreTraining",)' in text
    assert '"rope_parameters": self.rope_parameters' in text
    assert 'rope_parameters={"rope_type": "default"},' in text and "layer_types=None," in text
    assert "tie_word_embeddings=True," in text
    # The like kind renders no model package of its own (it is copied or converted from the source).
    assert not [p for p in (fork / "src/transformers/models").rglob("acme/*") if p.is_file()]


def test_unknown_template_kind_renders_nothing(tmp_path: Path) -> None:
    names = resolve_names("acme")
    spec = spec_for_kind("decoder", names)
    with pytest.raises(ValueError):
        copier.run_copy(
            str(TEMPLATE_DIR),
            str(tmp_path),
            data={**answers("decoder", names, spec), "kind": "seq2seq"},
            defaults=True,
            unsafe=True,
            quiet=True,
        )
