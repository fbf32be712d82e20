"""transformers-scaffold: generate, check and review Hugging Face Transformers models."""

from __future__ import annotations

__version__ = "0.1.0"
