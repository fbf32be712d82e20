"""transformers-scaffold: generate, check and review Hugging Face Transformers models."""

from __future__ import annotations

__version__ = "0.1.0"
# Where this project's source and docs live (SARIF `helpUri`s link its rule docs here); the same
# address is `[project.urls]` in pyproject.toml.
PROJECT_URL = "https://github.com/transformers-scaffold/transformers-scaffold"
