"""AddToctreeEntry on toctrees in upstream's shape (written here; the sdist ships no docs/)."""

from __future__ import annotations

import pytest
import yaml

from tests.codemods.helpers import inserted_lines
from transformers_scaffold.codemods.toctree import AddToctreeEntry, add_toctree_entry
from transformers_scaffold.errors import UserError
from transformers_scaffold.facts.toctree import entries_of, parse_toctree


def section_of(text: str | None, local: str) -> str | None:
    entries = entries_of(parse_toctree(text) or []) if text else []
    return next((e.path[-1] for e in entries if e.local == local and e.path), None)


TOCTREE = """\
- title: Get started
  sections:
  - local: index
    title: Transformers
- title: API
  sections:
  - title: Main classes
    isExpanded: false
    sections:
    - local: model_doc/auto
      title: Auto Classes
  - title: Models
    isExpanded: false
    sections:
    - title: Text models
      sections:
      - local: model_doc/albert
        title: ALBERT
      - local: model_doc/bert
        title: BERT
      # the Llama family
      - local: model_doc/llama
        title: LLaMA
      - local: model_doc/mamba2
        title: mamba2
      - local: model_doc/yoso
        title: YOSO
    - title: Vision models
      sections:
      - local: model_doc/beit
        title: BEiT
  - title: Internal helpers
    sections:
    - local: internal/modeling_utils
      title: Custom Layers and Utilities
"""


def _text_models(text: str) -> list[dict[str, str]]:
    api = next(s for s in yaml.safe_load(text) if s["title"] == "API")
    models = next(s for s in api["sections"] if s["title"] == "Models")
    return next(s for s in models["sections"] if s["title"] == "Text models")["sections"]


@pytest.mark.parametrize(
    ("title", "before_local"),
    [
        ("Acme", "model_doc/albert"),  # first
        ("Kappa", "model_doc/llama"),  # the comment above LLaMA stays with LLaMA
        ("Mamba", "model_doc/mamba2"),  # case-insensitive: "mamba" < "mamba2"
        ("Zed", None),  # last in its section, before the next section
    ],
)
def test_sorted_place_and_only_two_lines_added(title: str, before_local: str | None) -> None:
    local = f"model_doc/{title.lower()}"
    new = add_toctree_entry(TOCTREE, local, title)
    assert inserted_lines(TOCTREE, new) == [f"      - local: {local}", f"        title: {title}"]
    entries = _text_models(new)
    titles = [e["title"].lower() for e in entries]
    assert titles == sorted(titles)
    at = [e["local"] for e in entries].index(local)
    assert (entries[at + 1]["local"] if at + 1 < len(entries) else None) == before_local
    if title == "Kappa":
        assert "# the Llama family\n      - local: model_doc/llama" in new
    assert add_toctree_entry(new, local, title) == new  # idempotent


def test_duplicate_local_elsewhere_or_with_another_title_is_a_user_error() -> None:
    with pytest.raises(UserError, match=r"model_doc/bert is already listed under API > Models > Text models"):
        add_toctree_entry(TOCTREE, "model_doc/bert", "Bert Two")
    with pytest.raises(UserError, match="Vision models"):
        add_toctree_entry(TOCTREE, "model_doc/beit", "BEiT")  # listed, but in another section


def test_missing_file_gives_a_minimal_toctree_in_upstream_shape() -> None:
    new = add_toctree_entry(None, "model_doc/acme", "Acme")
    assert _text_models(new) == [{"local": "model_doc/acme", "title": "Acme"}]
    assert new.startswith("- title: API\n  sections:\n  - title: Models\n")
    assert add_toctree_entry(new, "model_doc/acme", "Acme") == new
    commented = add_toctree_entry("# Table of contents\n", "model_doc/acme", "Acme")
    assert commented == "# Table of contents\n" + new


def test_missing_levels_are_created_at_the_end_of_the_deepest_existing_one() -> None:
    new = add_toctree_entry(TOCTREE, "model_doc/acme", "Acme", section="Audio models")
    added = inserted_lines(TOCTREE, new)
    assert added == [
        "    - title: Audio models",
        "      sections:",
        "      - local: model_doc/acme",
        "        title: Acme",
    ]
    assert new.index("title: Audio models") > new.index("title: Vision models")
    assert new.index("title: Audio models") < new.index("title: Internal helpers")
    only_start = "- title: Get started\n  sections:\n  - local: index\n    title: Transformers"  # no final newline
    created = add_toctree_entry(only_start, "model_doc/acme", "Acme")
    assert created.startswith(only_start + "\n- title: API\n")
    assert _text_models(created) == [{"local": "model_doc/acme", "title": "Acme"}]


def test_old_layout_with_title_after_sections_and_crlf_line_ends() -> None:
    old_style = (
        "- sections:\n  - sections:\n    - isExpanded: false\n      sections:\n"
        "      - local: model_doc/albert\n        title: ALBERT\n      - local: model_doc/bert\n        title: BERT\n"
        "      title: Text models\n    title: Models\n  title: API\n"
    ).replace("\n", "\r\n")
    new = add_toctree_entry(old_style, "model_doc/bart", "BART")
    assert inserted_lines(old_style, new) == ["      - local: model_doc/bart", "        title: BART"]
    assert "\n" not in new.replace("\r\n", "")
    assert [e["local"] for e in _text_models(new.replace("\r\n", "\n"))][:2] == ["model_doc/albert", "model_doc/bart"]


def test_titles_that_need_quotes_are_quoted() -> None:
    new = add_toctree_entry(TOCTREE, "model_doc/odd", "Odd: #1 model")
    assert any(e["title"] == "Odd: #1 model" for e in _text_models(new))


def test_bad_files_are_user_errors() -> None:
    with pytest.raises(UserError, match="not valid YAML"):
        add_toctree_entry("- title: [unclosed\n", "model_doc/acme", "Acme")
    with pytest.raises(UserError, match="block list"):
        add_toctree_entry("title: API\n", "model_doc/acme", "Acme")


def test_section_of_finds_the_modality_of_an_existing_page() -> None:
    assert section_of(TOCTREE, "model_doc/beit") == "Vision models"
    assert section_of(TOCTREE, "model_doc/nope") is None
    assert section_of(None, "model_doc/beit") is None


def test_class_interface() -> None:
    edit = AddToctreeEntry(local="model_doc/acme", title="Acme", section="Text models")
    assert edit.DESCRIPTION
    assert edit.transform(TOCTREE) == add_toctree_entry(TOCTREE, "model_doc/acme", "Acme")


def test_a_page_titled_like_a_section_does_not_hide_the_section() -> None:
    # Upstream lists `main_classes/model` as "Models" too; a page of that title may sit beside the section.
    toc = TOCTREE.replace(
        "  - title: Models\n    isExpanded",
        "  - local: main_classes/model\n    title: Models\n  - title: Models\n    isExpanded",
    )
    new = add_toctree_entry(toc, "model_doc/acme", "Acme")
    assert inserted_lines(toc, new) == ["      - local: model_doc/acme", "        title: Acme"]
