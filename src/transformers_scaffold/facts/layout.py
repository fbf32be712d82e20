"""Where things live in a Transformers fork, and its version: the paths every reader shares.

Paths are posix strings relative to the fork's root. `NON_MODEL_PACKAGES` are folders of
`models/` that are not models (the auto classes, deprecated stubs): no rule or generator step
treats them as one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LIBRARY_DIR = "src/transformers"
TRANSFORMERS_INIT = f"{LIBRARY_DIR}/__init__.py"
MODELS_DIR = f"{LIBRARY_DIR}/models"
MODELS_INIT = f"{MODELS_DIR}/__init__.py"
AUTO_DIR = f"{MODELS_DIR}/auto"
AUTO_MAPPINGS = f"{AUTO_DIR}/auto_mappings.py"  # 5.2x: generated; holds CONFIG_MAPPING_NAMES and friends
CONFIGURATION_AUTO = f"{AUTO_DIR}/configuration_auto.py"
MODELING_AUTO = f"{AUTO_DIR}/modeling_auto.py"
TOKENIZATION_AUTO = f"{AUTO_DIR}/tokenization_auto.py"
IMAGE_PROCESSING_AUTO = f"{AUTO_DIR}/image_processing_auto.py"
FEATURE_EXTRACTION_AUTO = f"{AUTO_DIR}/feature_extraction_auto.py"
PROCESSING_AUTO = f"{AUTO_DIR}/processing_auto.py"
VIDEO_PROCESSING_AUTO = f"{AUTO_DIR}/video_processing_auto.py"
# The files whose module-level mappings make up "the auto mappings", in the order a later one
# extends an earlier one (configuration_auto.py `.update()`s what auto_mappings.py defines).
AUTO_FILES = (
    AUTO_MAPPINGS,
    CONFIGURATION_AUTO,
    MODELING_AUTO,
    TOKENIZATION_AUTO,
    IMAGE_PROCESSING_AUTO,
    FEATURE_EXTRACTION_AUTO,
    PROCESSING_AUTO,
    VIDEO_PROCESSING_AUTO,
)
PIPELINES_INIT = f"{LIBRARY_DIR}/pipelines/__init__.py"
AUTO_DOCSTRING = f"{LIBRARY_DIR}/utils/auto_docstring.py"
PIPELINE_TEST_MIXIN = "tests/test_pipeline_mixin.py"
TESTS_MODELS_DIR = "tests/models"
DOCS_DIR = "docs/source/en"
DOCS_MODEL_DOC = f"{DOCS_DIR}/model_doc"
TOCTREE = f"{DOCS_DIR}/_toctree.yml"
# The fork's own checks and tools (only in full forks; the PyPI sdist has no utils/).
MODULAR_CONVERTER = "utils/modular_model_converter.py"
ADD_DATES = "utils/add_dates.py"
CHECK_CONFIG_ATTRIBUTES = "utils/check_config_attributes.py"
CHECK_CONFIG_DOCSTRINGS = "utils/check_config_docstrings.py"
CHECK_REPO = "utils/check_repo.py"
MLINTER_RULES = "utils/rules.toml"
CHECKERS = "utils/checkers.py"  # `make style`'s runner: RUFF_TARGETS
SETUP_PY = "setup.py"
PYPROJECT = "pyproject.toml"

NON_MODEL_PACKAGES = frozenset({"auto", "deprecated"})

_VERSION = re.compile(r"""^__version__\s*=\s*["']([^"']+)["']""", re.MULTILINE)
_NUMBERS = re.compile(r"(\d+)\.(\d+)\.(\d+)")


@dataclass(frozen=True)
class Version:
    """A fork's `__version__`: numbers to compare, `raw` to show (`5.16.0.dev0`)."""

    major: int
    minor: int
    patch: int
    raw: str

    @classmethod
    def parse(cls, raw: str) -> Version | None:
        match = _NUMBERS.match(raw)
        return cls(int(match[1]), int(match[2]), int(match[3]), raw) if match else None

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)


def read_version(init_text: str) -> str | None:
    """The `__version__ = "..."` string of `src/transformers/__init__.py`, or None."""
    match = _VERSION.search(init_text)
    return match[1] if match else None


def model_dir(module: str) -> str:
    return f"{MODELS_DIR}/{module}"


def module_of_path(path: str) -> str | None:
    """`llama` for `src/transformers/models/llama/modeling_llama.py`; None outside a model package
    (and for the non-model packages such as `auto`)."""
    parts = path.split("/")
    if len(parts) >= 5 and "/".join(parts[:3]) == MODELS_DIR and parts[3] not in NON_MODEL_PACKAGES:
        return parts[3]
    return None


def is_model_package(name: str) -> bool:
    return bool(name) and not name.startswith(("_", ".")) and name not in NON_MODEL_PACKAGES
