"""plan_registration on the real sdist fork: which files, which lines, idempotence, conflicts, runtime."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.codemods.helpers import AUTO, facts_at, inserted_lines
from transformers_scaffold.codemods.mappings import PyExpr
from transformers_scaffold.codemods.registration import plan_registration, tokenizer_value
from transformers_scaffold.errors import UserError
from transformers_scaffold.facts.layout import TOCTREE as TOCTREE_PATH
from transformers_scaffold.names import ModelNames, resolve_names
from transformers_scaffold.spec import HeadSpec, ModelSpec

TOCTREE = Path(TOCTREE_PATH)
HEADS = {
    "ForCausalLM": "MODEL_FOR_CAUSAL_LM_MAPPING_NAMES",
    "ForSequenceClassification": "MODEL_FOR_SEQUENCE_CLASSIFICATION_MAPPING_NAMES",
    "ForTokenClassification": "MODEL_FOR_TOKEN_CLASSIFICATION_MAPPING_NAMES",
    "ForQuestionAnswering": "MODEL_FOR_QUESTION_ANSWERING_MAPPING_NAMES",
}


def _spec(names: ModelNames, tokenizer: str = "LlamaTokenizer", config: str | None = None) -> ModelSpec:
    c = names.camel
    return ModelSpec(
        kind="decoder",
        config_class=config or f"{c}Config",
        pretrained_class=f"{c}PreTrainedModel",
        base_class=f"{c}Model",
        heads=tuple(HeadSpec(f"{c}{suffix}", (mapping,)) for suffix, mapping in HEADS.items()),
        layer_class=f"{c}DecoderLayer",
        attention_class=f"{c}Attention",
        generative=True,
        tokenizer_class=tokenizer,
    )


def _git_status(repo: Path) -> str:
    return subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True).stdout


def test_decoder_plan_adds_exactly_the_registration_lines(sdist_fork: Path) -> None:
    names = resolve_names("acme")
    plan = plan_registration(facts_at(sdist_fork), names, _spec(names))
    assert _git_status(sdist_fork) == ""  # nothing written
    rel = {path.relative_to(sdist_fork): text for path, text in plan.items()}
    assert set(rel) == {
        AUTO / "auto_mappings.py",
        AUTO / "modeling_auto.py",
        AUTO / "tokenization_auto.py",
        Path("src/transformers/models/__init__.py"),
        TOCTREE,
    }

    def added(path: Path) -> list[str]:
        return inserted_lines((sdist_fork / path).read_text(), rel[path])

    assert added(AUTO / "auto_mappings.py") == ['        ("acme", "AcmeConfig"),']  # no special module name
    assert sorted(added(AUTO / "modeling_auto.py")) == sorted(
        f'        ("acme", "Acme{s}"),' for s in ("Model", *HEADS)
    )
    assert added(AUTO / "tokenization_auto.py") == [
        '        ("acme", "LlamaTokenizer" if is_tokenizers_available() else None),'
    ]
    assert added(Path("src/transformers/models/__init__.py")) == ["    from .acme import *"]
    assert "- local: model_doc/acme\n        title: Acme\n" in rel[TOCTREE]  # created: the sdist has no docs/
    for path, text in rel.items():
        if path.suffix == ".py":
            compile(text, str(path), "exec")


def test_second_run_changes_nothing(sdist_fork: Path) -> None:
    names = resolve_names("acme")
    first = plan_registration(facts_at(sdist_fork), names, _spec(names))
    assert plan_registration(facts_at(sdist_fork, first), names, _spec(names)) == {}


def test_hyphenated_type_gets_its_module_name_and_doc_page(sdist_fork: Path) -> None:
    names = resolve_names("my-model")
    rel = {
        p.relative_to(sdist_fork): t for p, t in plan_registration(facts_at(sdist_fork), names, _spec(names)).items()
    }
    assert inserted_lines((sdist_fork / AUTO / "auto_mappings.py").read_text(), rel[AUTO / "auto_mappings.py"]) == [
        '        ("my-model", "MyModelConfig"),',
        '        ("my-model", "my_model"),',
    ]
    assert "    from .my_model import *\n" in rel[Path("src/transformers/models/__init__.py")]
    assert "- local: model_doc/my-model\n        title: My Model\n" in rel[TOCTREE]


def test_existing_model_type_with_another_class_is_a_user_error(sdist_fork: Path) -> None:
    names = resolve_names("llama")
    with pytest.raises(UserError, match="CONFIG_MAPPING_NAMES already maps 'llama' to \"LlamaConfig\""):
        plan_registration(facts_at(sdist_fork), names, _spec(names, config="OtherConfig"))


def test_missing_auto_file_is_a_user_error(sdist_fork: Path) -> None:
    names = resolve_names("acme")
    hidden = sdist_fork / AUTO / "modeling_auto.py"

    with pytest.raises(UserError, match="modeling_auto.py not found"):
        plan_registration(facts_at(sdist_fork, {hidden: None}), names, _spec(names))


def test_toctree_section_follows_the_source_model_for_like(sdist_fork: Path) -> None:
    names = resolve_names("acme")
    toc = "- title: API\n  sections:\n  - title: Models\n    sections:\n    - title: Vision models\n      sections:\n"
    toc += "      - local: model_doc/vit\n        title: ViT\n"
    spec = _spec(names)
    spec = ModelSpec(**{**spec.__dict__, "kind": "like", "source_model_type": "vit"})
    plan = plan_registration(facts_at(sdist_fork, {sdist_fork / TOCTREE: toc}), names, spec)
    assert inserted_lines(toc, plan[sdist_fork / TOCTREE]) == [
        "      - local: model_doc/acme",
        "        title: Acme",
    ]


def test_tokenizer_value_reuses_the_guard_of_the_same_class(sdist_fork: Path) -> None:
    facts, names = facts_at(sdist_fork), resolve_names("acme")
    assert tokenizer_value(facts, _spec(names, "BertTokenizer")) == PyExpr(
        '"BertTokenizer" if is_tokenizers_available() else None'
    )
    assert tokenizer_value(facts, _spec(names, "BartphoTokenizer")) == "BartphoTokenizer"  # unguarded upstream
    assert tokenizer_value(facts, _spec(names, "BrandNewTokenizer")) == "BrandNewTokenizer"


_CONFIG = """from ...configuration_utils import PreTrainedConfig


class AcmeConfig(PreTrainedConfig):
    model_type = "acme"


__all__ = ["AcmeConfig"]
"""

_INIT = """from typing import TYPE_CHECKING

from ...utils import _LazyModule
from ...utils.import_utils import define_import_structure


if TYPE_CHECKING:
    from .configuration_acme import *
else:
    import sys

    _file = globals()["__file__"]
    sys.modules[__name__] = _LazyModule(__name__, _file, define_import_structure(_file), module_spec=__spec__)
"""


def test_registered_config_resolves_through_the_auto_classes(fork: Path) -> None:
    names = resolve_names("acme")
    for path, text in plan_registration(facts_at(fork), names, _spec(names)).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    package = fork / "src/transformers/models/acme"
    package.mkdir()
    (package / "__init__.py").write_text(_INIT)
    (package / "configuration_acme.py").write_text(_CONFIG)
    probe = (
        "from transformers import AcmeConfig, AutoConfig\n"
        "from transformers.models.auto import modeling_auto as m, tokenization_auto as t\n"
        "assert type(AutoConfig.for_model('acme')) is AcmeConfig\n"
        "assert m.MODEL_FOR_CAUSAL_LM_MAPPING_NAMES['acme'] == 'AcmeForCausalLM'\n"
        "assert m.MODEL_MAPPING_NAMES['acme'] == 'AcmeModel'\n"
        "assert t.TOKENIZER_MAPPING_NAMES['acme'] in ('LlamaTokenizer', None)\n"
        "print('ok')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", f"import conftest\n{probe}"], cwd=fork, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip().endswith("ok")


def test_multi_line_tokenizer_value_keeps_upstreams_exploded_layout(sdist_fork: Path) -> None:
    names = resolve_names("acme")
    plan = plan_registration(facts_at(sdist_fork), names, _spec(names, tokenizer="MistralCommonBackend"))
    path = sdist_fork / AUTO / "tokenization_auto.py"
    assert inserted_lines(path.read_text(), plan[path]) == [
        "        (",
        '            "acme",',
        '            "MistralCommonBackend"',
        "            if is_mistral_common_available()",
        '            else ("TokenizersBackend" if is_tokenizers_available() else None),',
        "        ),",
    ]
    assert plan_registration(facts_at(sdist_fork, plan), names, _spec(names, tokenizer="MistralCommonBackend")) == {}


def test_edited_files_stay_ruff_clean_under_the_forks_settings(sdist_fork: Path) -> None:
    """Even a 60-character model type: entries too long for one line are exploded as ruff would."""
    names = resolve_names("a-very-long-model-type-name-that-goes-on-and-on-and-on-and-on")
    plan = plan_registration(facts_at(sdist_fork), names, _spec(names))
    tok = plan[sdist_fork / AUTO / "tokenization_auto.py"]
    assert (
        f'            "{names.model_type}",\n            "LlamaTokenizer" if is_tokenizers_available() else None,\n'
        in tok
    )
    for path, text in plan.items():
        if path.suffix != ".py":
            continue
        rel = str(path.relative_to(sdist_fork))
        for command in (["format", "--check"], ["check", "--quiet"]):
            proc = subprocess.run(
                [sys.executable, "-m", "ruff", *command, "--stdin-filename", rel, "-"],
                input=text,
                cwd=sdist_fork,
                capture_output=True,
                text=True,
            )
            assert proc.returncode == 0, (rel, command, proc.stdout[-2000:], proc.stderr[-2000:])
