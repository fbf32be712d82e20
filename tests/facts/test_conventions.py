"""The fork's own conventions, read from the files a full fork ships, with 5.24's defaults."""

from __future__ import annotations

from pathlib import Path

from transformers_scaffold.facts import ForkFacts, layout
from transformers_scaffold.facts.conventions import DEFAULT_DATE_TEMPLATE, read_date_line

ADD_DATES = r"""
import re


def _get_dates_pattern_match(content: str):
    pattern = r"\n\*This model was (?:published in HF papers on (.*) and )?contributed to Hugging Face Transformers on (\d{4}-\d{2}-\d{2})\.\*"
    return re.search(pattern, content)


def insert_dates(release_date, hf_commit_date):
    if release_date:
        new_line = f"\n*This model was published in HF papers on {release_date} and contributed to Hugging Face Transformers on {hf_commit_date}.*"
    else:
        new_line = f"\n*This model was contributed to Hugging Face Transformers on {hf_commit_date}.*"
    return new_line
"""

CHECK_CONFIG_ATTRIBUTES = """
import transformers

CONFIG_MAPPING = transformers.models.auto.configuration_auto.CONFIG_MAPPING
SPECIAL_CASES_TO_ALLOW = {
    "Phi3Config": ["original_max_position_embeddings"],  # used in the rope utils
    "EverythingConfig": True,
}
ATTRIBUTES_TO_ALLOW = ("dtype", r".+_token_id")
"""

CHECK_REPO = """
PRIVATE_MODELS = ["AcmeEncoder"]
IGNORE_NON_TESTED = (
    PRIVATE_MODELS.copy()
    + [
        "BetaModel",  # tested as part of another
    ]
)
"""


def _fork(tmp_path: Path, files: dict[str, str]) -> ForkFacts:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return ForkFacts(tmp_path)


def test_date_line_follows_the_forks_add_dates(tmp_path: Path) -> None:
    facts = _fork(tmp_path, {layout.ADD_DATES: ADD_DATES})
    line = facts.date_line
    assert line.source == "utils/add_dates.py"
    written = line.render("2026-12-02")
    assert written == (
        "*This model was published in HF papers on {release_date} and contributed to Hugging Face "
        "Transformers on 2026-12-02.*"
    )
    assert line.matches(f"# Acme\n\n{written}\n")
    assert not line.matches("*This model was released on 2020 and added to Hugging Face Transformers on 2026-12-02.*")


def test_date_line_defaults_to_524_without_the_tool(tmp_path: Path) -> None:
    line = ForkFacts(tmp_path).date_line
    assert line.template == DEFAULT_DATE_TEMPLATE
    assert line.matches(line.render("2026-12-02"))


def test_an_unreadable_add_dates_falls_back(tmp_path: Path) -> None:
    assert read_date_line("def broken(:\n") is None
    assert read_date_line("x = 1\n") is None


def test_config_attribute_allowlists(tmp_path: Path) -> None:
    allow = _fork(tmp_path, {layout.CHECK_CONFIG_ATTRIBUTES: CHECK_CONFIG_ATTRIBUTES}).config_attribute_allowlist
    assert allow.allows("Phi3Config", "original_max_position_embeddings")
    assert not allow.allows("AcmeConfig", "original_max_position_embeddings")
    assert allow.allows("AcmeConfig", "pad_token_id")  # a regex, matched like upstream (re.search)
    assert allow.allows("EverythingConfig", "anything")


def test_check_repo_lists_resolve_names_and_concatenation(tmp_path: Path) -> None:
    lists = _fork(tmp_path, {layout.CHECK_REPO: CHECK_REPO}).check_repo_lists
    assert lists["IGNORE_NON_TESTED"] == {"AcmeEncoder", "BetaModel"}


def test_ruff_pin_and_mlinter_rules(tmp_path: Path) -> None:
    facts = _fork(
        tmp_path,
        {
            layout.SETUP_PY: '_deps = [\n    "ruff==0.13.2",\n]\n',
            layout.MLINTER_RULES: 'version = 1\n[rules.TRF001]\ndefault_enabled = true\nallowlist_models = ["qwen3"]\n'
            "[rules.TRF003]\ndefault_enabled = false\n",
        },
    )
    assert facts.ruff_pin == "0.13.2"
    rules = facts.mlinter_rules
    assert rules is not None and rules.version == 1
    assert rules.enabled == {"TRF001": True, "TRF003": False}
    assert rules.allowlists["TRF001"] == ("qwen3",)
    assert ForkFacts(tmp_path / "nowhere").ruff_pin == "0.14.10"
