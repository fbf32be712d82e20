"""One fact, one reader: nothing outside `transformers_scaffold/facts/` parses the fork's auto
mappings, toctree, version or `__all__`s. A static scan of the package and the rule catalogue for
the constructs such a parser needs; docs/architecture.md shows the same scan as a `grep`."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src/transformers_scaffold"
LAYER = PACKAGE / "facts"

# A construct that reads one of the layer's facts from text, and what it reads.
SIGNATURES = {
    r"yaml\.compose\(": "the toctree (PyYAML node graph)",
    r"__version__\\s\*=|__version__\s*=\s*\[": "the version (a __version__ regex)",
    # `ast` readers compare `Name.id`; a libcst codemod locating the statement it edits (`.value`) is an edit, not a reader.
    r"""\.id\s*==\s*["']__all__["']|__all__\\s|\^__all__""": "an __all__ (ast or regex)",
    r"\.id\.endswith\([\"'](_)?MAPPING_NAMES": "the auto mappings (ast walk over *_MAPPING_NAMES)",
    r"\bread_mappings\(|static_mapping\(|string_pairs\(|\bparse_mappings\(": "the auto mappings (a mapping parser)",
    r"SUPPORTED_TASKS\b.*ast\.|pipeline_test_mapping\b.*ast\.": "the pipeline tables",
    r"re\.(compile|search|match)\(\s*r?[\"'][^\"']*This model was": "the doc date line",
}


def _sources() -> list[Path]:
    files = [
        p for p in PACKAGE.rglob("*.py") if LAYER not in p.parents and "checks" not in p.relative_to(PACKAGE).parts[:1]
    ]
    files += sorted((ROOT / "checks").glob("*.py"))
    return files


def test_no_parser_of_fork_facts_outside_the_layer() -> None:
    offenders = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        for pattern, what in SIGNATURES.items():
            for match in re.finditer(pattern, text):
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{path.relative_to(ROOT)}:{line} parses {what}")
    assert not offenders, "\n".join(offenders)


def test_the_scan_finds_a_parser_when_there_is_one(tmp_path: Path) -> None:
    """The scan is not vacuous: each signature matches the parser it stands for."""
    samples = {
        "the toctree (PyYAML node graph)": "root = yaml.compose(text)",
        "the version (a __version__ regex)": 'R = re.compile(r"^__version__\\s*=")',
        "an __all__ (ast or regex)": 'if target.id == "__all__":',
        "the auto mappings (ast walk over *_MAPPING_NAMES)": 'names = [t.id for t in s if t.id.endswith("MAPPING_NAMES")]',
        "the auto mappings (a mapping parser)": "pairs = string_pairs(tree, name)",
        "the doc date line": 'LINE = re.compile(r"\\*This model was released on")',
    }
    for what, sample in samples.items():
        assert any(re.search(p, sample) for p, w in SIGNATURES.items() if w == what), what
    # The layer itself does hold these readers.
    layer = "\n".join(p.read_text() for p in LAYER.glob("*.py"))
    assert "yaml.compose(" in layer and "__all__" in layer and "MAPPING_NAMES" in layer
