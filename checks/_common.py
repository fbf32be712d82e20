"""Patterns shared by several rules (a helper module of the catalogue, not a rule)."""

from __future__ import annotations

LIBRARY = ("src/transformers/*.py",)
# AST rules look at the generated modeling files (what runs), not at `modular_*.py`: a modular
# file's code lands in its generated file, so checking both would report everything twice.
MODELING = ("src/transformers/models/*/modeling_*.py",)
MODULAR = ("src/transformers/models/*/modular_*.py",)
CONFIGURATION = ("src/transformers/models/*/configuration_*.py",)
# Library code a user runs, not scripts: conversion scripts and the CLI may print and exec.
SCRIPTS = (
    "src/transformers/models/*/convert_*.py",
    "src/transformers/commands/*",
    "src/transformers/cli/*",
    "src/transformers/*/__main__.py",
    "src/transformers/models/deprecated/*",
)
