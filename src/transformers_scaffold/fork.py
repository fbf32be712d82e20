"""The Transformers fork being edited, as the generator sees it: a git work tree plus its facts.

Every fact (version, mappings, modules, conventions) comes from the fork-facts layer
(`transformers_scaffold.facts`), read statically; this module adds what only the generator needs:
locating the fork, refusing trees that are not one, and git state.
"""

from __future__ import annotations

import subprocess
from functools import cached_property
from pathlib import Path

from transformers_scaffold.errors import UserError
from transformers_scaffold.facts import ForkFacts, Version, layout

__all__ = ["Fork", "Version"]


def _git(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    except FileNotFoundError:
        raise UserError(
            "git is not installed or not on PATH; install git, the fork must be a git repository"
        ) from None


class Fork:
    """A Transformers source tree (a git work tree) that we scaffold into."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.facts = ForkFacts(self.root)

    @classmethod
    def locate(cls, repo: Path | None) -> Fork:
        """The fork at `repo`, or the git repository enclosing the current directory."""
        if repo is None:
            proc = _git(["rev-parse", "--show-toplevel"])
            if proc.returncode != 0:
                raise UserError("not inside a git repository; pass --repo PATH to a Transformers fork")
            repo = Path(proc.stdout.strip())
        if not repo.is_dir():
            raise UserError(f"--repo {repo}: no such directory; pass the root of a Transformers fork")
        fork = cls(repo)
        if not fork.facts.has(layout.MODELING_AUTO) or not fork.facts.has(layout.TRANSFORMERS_INIT):
            raise UserError(
                f"{repo} is not a Transformers source tree (no src/transformers/models/auto/); pass --repo PATH to a fork"
            )
        if not (fork.root / ".git").exists():
            raise UserError(
                f"{repo} is not a git repository; run `git init && git add -A && git commit` first so changes can be reviewed"
            )
        broken = fork.facts.mapping_error()
        if broken:
            raise UserError(f"{broken}; fix the file (or `git checkout` it) and run again")
        return fork

    def path(self, rel: str | Path) -> Path:
        return self.root / rel

    def read(self, rel: str | Path) -> str | None:
        return self.facts.read(rel)

    @cached_property
    def version(self) -> Version:
        raw = self.facts.version_raw
        if raw is None:
            raise UserError("cannot find __version__ in src/transformers/__init__.py; is this a Transformers fork?")
        version = Version.parse(raw)
        if version is None:
            raise UserError(f"cannot read the fork's transformers version {raw!r}; fix src/transformers/__init__.py")
        return version

    def dirty_paths(self, paths: list[str]) -> list[str]:
        """Those of `paths` (repo-relative) with uncommitted changes or untracked."""
        if not paths:
            return []
        proc = _git(
            ["--no-optional-locks", "status", "--porcelain", "--untracked-files=all", "--", *paths], cwd=self.root
        )
        if proc.returncode != 0:
            raise UserError(
                f"`git status` failed in {self.root}: {proc.stderr.strip()[:200]}; is it a healthy git repository?"
            )
        return [line[3:] for line in proc.stdout.splitlines() if line.strip()]
