"""What a PR changes that could make findings vanish without being fixed.

The check workflow runs the PR's own code and configuration, so a finding can disappear because
the PR silenced it: a `# scaffold: ignore[...]` comment, an `ignore`/`per-file-ignores` entry in its
own `pyproject.toml` `[tool.scaffold]`, or an edit of the workflows that produce the findings.
The bot sees the PR's patch, so it can tell these apart from a fix and say so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from transformers_scaffold.review.diff import FileDiff

_SUPPRESSION = re.compile(r"scaffold:\s*ignore")
_WORKFLOWS = (".github/workflows/", ".github/actions/")
SCAFFOLD_CONFIG = "pyproject.toml"


@dataclass(frozen=True)
class Overrides:
    """Paths through which this PR can silence findings."""

    suppressions: Mapping[str, int]  # file -> number of suppression comments this PR adds
    config: bool  # the PR edits `[tool.scaffold]` (or pyproject.toml without a readable patch)
    workflows: tuple[str, ...]  # workflow files the PR touches

    @property
    def untrusted(self) -> bool:
        """Whether the check run's configuration itself came from this PR."""
        return self.config or bool(self.workflows)

    def silenced(self, path: str) -> str | None:
        """Why a finding of `path` that disappeared may not be fixed, or None."""
        if self.workflows:
            return "this PR edits the workflows that produce the findings"
        if self.config:
            return "this PR edits [tool.scaffold] in pyproject.toml"
        if self.suppressions.get(path):
            return "this PR adds a `scaffold: ignore` comment to this file"
        return None


def pr_overrides(files: Mapping[str, FileDiff]) -> Overrides:
    suppressions = {
        path: sum(1 for text in diff.added_text if _SUPPRESSION.search(text)) for path, diff in files.items()
    }
    config = any(
        (path == SCAFFOLD_CONFIG or path.endswith("/" + SCAFFOLD_CONFIG))
        and (
            not diff.has_patch
            or any(word in t for t in diff.changed_text for word in ("scaffold", "ignore", "select"))
        )
        for path, diff in files.items()
    )
    workflows = tuple(sorted(p for p in files if p.startswith(_WORKFLOWS)))
    return Overrides({p: n for p, n in suppressions.items() if n}, config, workflows)
