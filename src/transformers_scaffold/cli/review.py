"""Placeholder until the owner of this command lands it."""

from __future__ import annotations


def command() -> None:
    """Not implemented yet."""
    raise SystemExit("not implemented yet")
