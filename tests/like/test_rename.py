"""The renamer on small inline excerpts: every casing follows, unrelated words do not."""

from __future__ import annotations

import pytest

from transformers_scaffold.like.rename import Casings, Renamer, leftovers

LLAMA = Casings("llama", "llama", "Llama", "LLAMA")
BERT = Casings("bert", "bert", "Bert", "BERT")
XLMR = Casings("xlm-roberta", "xlm_roberta", "XLMRoberta", "XLM_ROBERTA")
ACME = Casings("acme", "acme", "Acme", "ACME")
MY_MODEL = Casings("my-model", "my_model", "MyModel", "MY_MODEL")


@pytest.mark.parametrize(
    ("old", "word", "expected"),
    [
        (LLAMA, "LlamaDecoderLayer", "AcmeDecoderLayer"),
        (LLAMA, "LLAMA_INPUTS_DOCSTRING", "ACME_INPUTS_DOCSTRING"),
        (LLAMA, "load_llama_weights", "load_acme_weights"),
        (LLAMA, "Llamas", "Llamas"),  # another word
        (LLAMA, "Llama4Model", "Llama4Model"),  # another model
        (BERT, "AlbertModel", "AlbertModel"),
        (BERT, "BertLMHeadModel", "AcmeLMHeadModel"),
        (XLMR, "XLMRobertaForMaskedLM", "AcmeForMaskedLM"),
        (XLMR, "modeling_xlm_roberta", "modeling_acme"),
    ],
)
def test_identifiers(old: Casings, word: str, expected: str) -> None:
    assert Renamer(old, ACME).identifier(word) == expected


def test_longer_names_of_other_models_are_kept() -> None:
    others = frozenset({"XLMRobertaXL", "xlm_roberta_xl", "xlm-roberta-xl", "XLM_ROBERTA_XL", "xlm"})
    r = Renamer(XLMR, MY_MODEL, other_names=others)
    assert r.identifier("XLMRobertaXLModel") == "XLMRobertaXLModel"
    assert r.text('model_type = "xlm-roberta-xl"') == 'model_type = "xlm-roberta-xl"'
    # "xlm" is a shorter model type: it must not stop "xlm-roberta" itself from being renamed.
    assert r.text('model_type = "xlm-roberta"') == 'model_type = "my-model"'


def test_prose_casings_hub_ids_and_paths() -> None:
    r = Renamer(XLMR, MY_MODEL)
    text = "The XLM-RoBERTa model (see FacebookAI/xlm-roberta-base), in src/transformers/models/xlm_roberta/."
    assert r.text(text) == "The MyModel model (see FacebookAI/xlm-roberta-base), in src/transformers/models/my_model/."
    assert Renamer(LLAMA, ACME).text("# LLaMA and LLAMA differ from llamas") == "# Acme and Acme differ from llamas"


def test_a_new_name_containing_the_old_one_is_renamed_once() -> None:
    lite = Casings("llama-lite", "llama_lite", "LlamaLite", "LLAMA_LITE")
    out = Renamer(LLAMA, lite).module('model_type = "llama"\nx = LlamaModel()  # llama_model, LLaMA\n')
    assert out == 'model_type = "llama-lite"\nx = LlamaLiteModel()  # llama_lite_model, LlamaLite\n'


def test_module_keeps_tokenizers_and_uncopied_imports() -> None:
    source = (
        "from ..bert.tokenization_bert import BertTokenizer\n"
        "from ..bert.convert_bert import BertConverter\n"
        "from .configuration_bert import BertConfig\n"
        "from transformers.models.bert.modeling_bert import BertModel\n"
        "\n"
        "class BertPreTrainedModel:\n"
        '    """Use [`BertTokenizer`] with BertModel."""\n'
        '    base_model_prefix = "bert"\n'
        '    model_type = "bert"\n'
        "    tok = BertTokenizer\n"
        "    conv = BertConverter\n"
        "    def f(self):\n"
        "        return self.bert\n"
    )
    r = Renamer(
        BERT,
        MY_MODEL,
        keep=frozenset({"BertTokenizer"}),
        copied_modules=frozenset({"configuration_bert", "modeling_bert"}),
    )
    out = r.module(source)
    assert "from ..bert.tokenization_bert import BertTokenizer" in out
    assert "from ..bert.convert_bert import BertConverter" in out
    assert "conv = BertConverter" in out
    assert "from .configuration_my_model import MyModelConfig" in out
    assert "from transformers.models.my_model.modeling_my_model import MyModelModel" in out
    # The attribute and base_model_prefix stay one identifier; model_type takes the hyphenated type.
    assert 'base_model_prefix = "my_model"' in out and "self.my_model" in out
    assert 'model_type = "my-model"' in out
    assert "[`BertTokenizer`] with MyModelModel" in out
    renamed_part = "\n".join(line for line in out.splitlines() if not line.startswith("from ..bert."))
    assert leftovers(r, renamed_part) == ["BertConverter"]


def test_an_identifier_in_a_string_that_starts_with_the_name_is_renamed_as_an_identifier() -> None:
    """`__all__ = ["Exaone4_5_Config"]`: the string must name the class the code defines (`AcmeConfig`)."""
    renamer = Renamer(
        old=Casings("exaone4_5", "exaone4_5", "Exaone4_5_", "EXAONE4_5"), new=Casings("acme", "acme", "Acme", "ACME")
    )
    assert renamer.identifier("Exaone4_5_Config") == "AcmeConfig"
    assert renamer.text('["Exaone4_5_Config", "Exaone4_5_VisionConfig"]') == '["AcmeConfig", "AcmeVisionConfig"]'
    assert renamer.text("the exaone4_5 model") == "the acme model"
