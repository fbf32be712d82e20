"""The fork-facts layer: the one reader of a Transformers fork's facts, shared by the generator,
`--like` and the checker. It imports none of them (they import it). See docs/architecture.md."""

from __future__ import annotations

from transformers_scaffold.facts.conventions import ConfigAttributeAllowlist, DateLine, MlinterRules
from transformers_scaffold.facts.fork import FactStore, ForkFacts, Reader, disk_reader
from transformers_scaffold.facts.layout import Version
from transformers_scaffold.facts.mappings import Entry
from transformers_scaffold.facts.tasks import TASKS, Task
from transformers_scaffold.facts.toctree import TocEntry

__all__ = [
    "TASKS",
    "ConfigAttributeAllowlist",
    "DateLine",
    "Entry",
    "FactStore",
    "ForkFacts",
    "MlinterRules",
    "Reader",
    "Task",
    "TocEntry",
    "Version",
    "disk_reader",
]
