"""Which sources `--like` can start from: derived base models and the files that define a type's config."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import clone_fork
from tests.pipeline.helpers import git_status, run_cli, tree_state
from transformers_scaffold.errors import UserError
from transformers_scaffold.facts import ForkFacts
from transformers_scaffold.like import plan_like
from transformers_scaffold.like.derive import derive_base
from transformers_scaffold.names import resolve_names

ACME = "src/transformers/models/acme"


def _plan(sdist_fork: Path, source: str):
    return plan_like(ForkFacts(sdist_fork), source, resolve_names("acme"), None, in_process=True)


_RESOLVE = """
import json, sys
from transformers import AutoConfig, AutoModel
config = AutoConfig.for_model(sys.argv[1], **json.loads(sys.argv[2]))
print(type(config).__name__, type(AutoModel.from_config(config)).__name__)
"""


@pytest.mark.slow
def test_a_sub_model_source_scaffolds_and_its_auto_classes_resolve_in_a_fresh_process(
    sdist_fork: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`aimv2_text_model` registers no base model upstream: `Aimv2TextModel` (built on its config) becomes one."""
    fork = clone_fork(sdist_fork, tmp_path / "fork")
    code, out, err = run_cli(capsys, "new-model", "acme", "--like", "aimv2_text_model", "--yes", "--repo", str(fork))
    assert code == 0, err
    modeling_auto = (fork / "src/transformers/models/auto/modeling_auto.py").read_text()
    assert '("acme_text_model", "AcmeTextModel")' in modeling_auto
    tiny = {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 37}
    proc = subprocess.run(
        [sys.executable, "-c", _RESOLVE, "acme_text_model", json.dumps(tiny)],
        env={"PYTHONPATH": str(fork / "src"), "PYTHONDONTWRITEBYTECODE": "1", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    # (the fork's auto_docstring prints "[ERROR] Config not found for acme" lines first: the package has no `acme` type)
    assert proc.stdout.splitlines()[-1].split() == ["AcmeTextConfig", "AcmeTextModel"]


def test_sub_model_sources_get_the_class_built_on_their_config(sdist_fork: Path) -> None:
    for source, base in [("blip_vision_model", "AcmeVisionModel"), ("siglip_text_model", "AcmeTextModel")]:
        plan = _plan(sdist_fork, source)
        assert plan.spec.base_class == base, source
        assert plan.spec.registrations()[0] == ("MODEL_MAPPING_NAMES", base)


def test_a_head_only_source_registers_its_head_as_the_base_model_too(sdist_fork: Path) -> None:
    """`trocr` registers only `TrOCRForCausalLM`: AutoModel and AutoModelForCausalLM both build it."""
    spec = _plan(sdist_fork, "trocr").spec
    assert spec.base_class == "AcmeForCausalLM"
    assert ("MODEL_FOR_CAUSAL_LM_MAPPING_NAMES", "AcmeForCausalLM") in spec.registrations()
    assert spec.model_classes == ("AcmeForCausalLM",)  # listed once


DERIVE = """
class FooPreTrainedModel(PreTrainedModel):
    config: FooConfig

class FooVisionModel(FooPreTrainedModel):
    config: FooVisionConfig

class FooVisionForImageClassification(FooVisionModel):
    pass

class FooPlain(nn.Module):
    config_class = FooVisionConfig
"""


def test_derive_base_reads_own_and_inherited_configs() -> None:
    exported = ("FooPreTrainedModel", "FooVisionModel", "FooVisionForImageClassification", "FooPlain")
    derived = derive_base(DERIVE, "FooVisionConfig", exported, {})
    assert derived is not None
    assert (derived.base, derived.pretrained) == ("FooVisionModel", "FooPreTrainedModel")
    # The head inherits the vision config; its suffix names its mapping. `FooPlain` is no PreTrainedModel.
    assert derived.heads == {"FooVisionForImageClassification": ("MODEL_FOR_IMAGE_CLASSIFICATION_MAPPING_NAMES",)}
    assert derive_base(DERIVE, "FooAudioConfig", exported, {}) is None


def test_a_config_defined_in_a_file_not_named_after_the_package_is_found(sdist_fork: Path) -> None:
    """`data2vec-audio` lives in models/data2vec/configuration_data2vec_audio.py: only its own files are copied."""
    plan = _plan(sdist_fork, "data2vec-audio")
    assert sorted(p.removeprefix(ACME + "/") for p in plan.files if p.startswith(ACME)) == [
        "__init__.py",
        "configuration_acme.py",
        "modeling_acme.py",
    ]
    assert "class AcmeConfig(" in plan.files[f"{ACME}/configuration_acme.py"]
    assert "Data2VecText" not in plan.files[f"{ACME}/__init__.py"]
    assert plan.spec.base_class == "AcmeModel" and plan.model_type == "acme"


def test_a_sub_model_config_in_its_own_file_of_the_main_package(sdist_fork: Path) -> None:
    plan = _plan(sdist_fork, "maskformer-swin")  # configuration_maskformer_swin.py of models/maskformer
    assert plan.model_type == "acme-swin" and plan.spec.config_class == "AcmeSwinConfig"
    assert plan.spec.base_class == "AcmeSwinModel"


def test_an_alias_without_code_derives_from_the_model_it_reuses(sdist_fork: Path) -> None:
    """`gpt-sw3` is GPT2Config + a tokenizer: the copy is gpt2's, the tokenizer stays gpt-sw3's."""
    spec = _plan(sdist_fork, "gpt-sw3").spec
    assert spec.base_class == "AcmeModel" and spec.source_model_type == "gpt2"
    assert spec.tokenizer_class == "GPTSw3Tokenizer"


def test_a_config_only_type_is_refused_naming_the_model_it_reuses(sdist_fork: Path, capsys, tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"no modeling code of its own .*LlamaModel of .*--like llama"):
        _plan(sdist_fork, "exaone")
    fork = clone_fork(sdist_fork, tmp_path / "fork")
    before = tree_state(fork)
    code, out, err = run_cli(capsys, "new-model", "acme", "--like", "exaone", "--yes", "--repo", str(fork))
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert tree_state(fork) == before and git_status(fork) == ""


def test_a_type_with_no_model_class_on_its_config_is_still_refused(sdist_fork: Path) -> None:
    """`sam_mask_decoder`'s classes are plain `nn.Module`s: there is nothing to register."""
    with pytest.raises(UserError, match="no exported PreTrainedModel subclass of modeling_sam.py is built on"):
        _plan(sdist_fork, "sam_mask_decoder")


def test_the_copied_packages_other_configs_are_registered_under_their_renamed_types(sdist_fork: Path) -> None:
    """audioflamingo3's config builds its `audioflamingo3_encoder` sub-config by type: the copy looks up `acme_encoder`."""
    from transformers_scaffold.codemods.registration import plan_registration

    plan = _plan(sdist_fork, "audioflamingo3")
    assert plan.spec.sibling_configs == (("acme_encoder", "AcmeEncoderConfig"),)
    assert 'model_type = "acme_encoder"' in plan.files[f"{ACME}/configuration_acme.py"]
    edits = plan_registration(ForkFacts(sdist_fork), resolve_names("acme"), plan.spec)
    mappings = edits[sdist_fork / "src/transformers/models/auto/auto_mappings.py"]
    assert '("acme_encoder", "AcmeEncoderConfig")' in mappings and '("acme_encoder", "acme")' in mappings
    # A sub-model source registers its package's main config too (`gemma3_text` -> `acme` as well as `acme_text`).
    assert _plan(sdist_fork, "gemma3_text").spec.sibling_configs == (("acme", "AcmeConfig"),)


def test_sub_models_a_composite_builds_through_automodel_are_registered_too(sdist_fork: Path) -> None:
    """Qwen3.5 builds `AutoModel.from_config(config.vision_config)`: `acme_vision` needs its AutoModel entry."""
    from transformers_scaffold.codemods.registration import plan_registration

    spec = _plan(sdist_fork, "qwen3_5").spec
    assert ("MODEL_MAPPING_NAMES", "acme_vision", "AcmeVisionModel") in spec.sibling_models
    edits = plan_registration(ForkFacts(sdist_fork), resolve_names("acme"), spec)
    modeling_auto = edits[sdist_fork / "src/transformers/models/auto/modeling_auto.py"]
    assert '("acme_vision", "AcmeVisionModel")' in modeling_auto and '("acme", "AcmeModel")' in modeling_auto


def test_two_heads_in_one_mapping_register_the_first_and_keep_the_other_unregistered(sdist_fork: Path) -> None:
    """deit lists (DeiTForImageClassification, DeiTForImageClassificationWithTeacher) for image classification."""
    spec = _plan(sdist_fork, "deit").spec
    image = [c for m, c in spec.registrations() if m == "MODEL_FOR_IMAGE_CLASSIFICATION_MAPPING_NAMES"]
    assert image == ["AcmeForImageClassification"]
    assert "AcmeForImageClassificationWithTeacher" not in spec.model_classes
