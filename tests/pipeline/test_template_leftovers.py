"""The verify stage's unrendered-template check: our templates' tags, never Jinja a source carries."""

from __future__ import annotations

from pathlib import Path

import pytest

from transformers_scaffold.pipeline.preflight import TEMPLATES, template_leftover

TEXT_SUFFIXES = (".py", ".md", ".json", ".jinja", ".txt", ".yml", ".yaml", ".toml")


def test_no_file_of_a_real_fork_looks_unrendered(sdist_fork: Path) -> None:
    """Every text file of the 5.24 tree (chat templates in `jev`'s configuration and llama4's
    processor among them) is data to the check, so `--like` may copy any of them."""
    files = [p for p in sdist_fork.rglob("*") if p.suffix in TEXT_SUFFIXES and ".git" not in p.parts]
    jinja = [p for p in files if "{%-" in p.read_text(errors="replace")]
    assert len(files) > 2000 and jinja, "the corpus must hold real Jinja"
    assert {
        str(p.relative_to(sdist_fork)): template_leftover(p.read_text(errors="replace"))
        for p in files
        if template_leftover(p.read_text(errors="replace"))
    } == {}


def test_every_unrendered_template_file_is_caught() -> None:
    """Each of our template files that uses a variable is flagged as it is before rendering."""
    sources = [p for p in (TEMPLATES / "model").rglob("*.jinja") if "{{" in p.read_text() or "{%" in p.read_text()]
    assert len(sources) >= 10
    missed = [str(p.relative_to(TEMPLATES)) for p in sources if template_leftover(p.read_text()) is None]
    assert missed == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("class {{ camel }}Model:", "{{ camel }}"),
        ("{{- module }}", "{{- module }}"),
        ("# {% if modular %}x{% endif %}", "{% if modular %}"),
        ("{% for row in spec.example_inputs %}", "{% for row in spec.example_inputs %}"),
        ("{{ cookiecutter.project_slug }}", "{{ cookiecutter.project_slug }}"),
        ("{%- if x is mapping %}{{ x|tojson }}{% endif %}", None),  # a Jinja test, not our variable
        ('{%- set kind = "letter" -%}', None),  # a template's own assignment
        ("{% if message.title %}{{ message.title }}{% endif %}", None),  # attributes
        ('{% include "_partials/init.py.jinja" %}', '{% include "_partials/'),
        ("{{ bos_token }}", None),
    ],
)
def test_tags(text: str, found: str | None) -> None:
    assert template_leftover(text) == found
