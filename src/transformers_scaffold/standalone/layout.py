"""A standalone package on disk (what it holds is read by `facts.standalone`), and the installed
transformers it builds against."""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from transformers_scaffold.errors import UserError
from transformers_scaffold.facts import ForkFacts
from transformers_scaffold.facts.standalone import PYPROJECT, read_standalone
from transformers_scaffold.fixture.build import cache_dir
from transformers_scaffold.fork import Fork


@dataclass(frozen=True)
class Package:
    root: Path
    package: str  # import name
    model_type: str
    module: str

    @property
    def src(self) -> str:
        return f"src/{self.package}"

    def read(self, rel: str) -> str | None:
        path = self.root / rel
        return path.read_text(encoding="utf-8") if path.is_file() else None


def locate_package(root: Path | None) -> Package:
    root = (root or Path.cwd()).resolve()
    pyproject = root / PYPROJECT
    found = read_standalone(pyproject.read_text(encoding="utf-8") if pyproject.is_file() else None)
    if found is None:
        raise UserError(
            f"{root} is not a standalone package (no valid [tool.scaffold.standalone] in pyproject.toml); "
            "pass --repo DIR of a package made by `scaffold new-model NAME --standalone`"
        )
    if not (root / found.src / "__init__.py").is_file():
        raise UserError(f"{root}: {found.src}/__init__.py not found; is this the package root?")
    return Package(root, found.package, found.model_type, found.module)


class InstalledTransformers(Fork):
    """The installed transformers seen through the fork-facts layer (read-only: never written to).

    The facts layer and `--like` expect a fork's layout (`src/transformers/...`, listed on disk), so
    the library is viewed through a directory in the scaffold cache whose `src/transformers` is a
    symlink to the installed package.
    """

    def __init__(self) -> None:
        installed = installed_transformers()
        view = cache_dir() / "installed-transformers" / hashlib.sha1(str(installed).encode()).hexdigest()[:16]
        link = view / "src" / "transformers"
        if not link.is_symlink() or link.resolve() != installed.resolve():
            link.parent.mkdir(parents=True, exist_ok=True)
            if link.is_symlink():
                link.unlink()
            link.symlink_to(installed, target_is_directory=True)
        self.root = view
        self.facts = ForkFacts(view)


def installed_transformers() -> Path:
    """The directory of the installed `transformers` package (found, not imported)."""
    spec = importlib.util.find_spec("transformers")
    if spec is None or not spec.submodule_search_locations:
        raise UserError("transformers is not installed; `pip install transformers` first")
    return Path(next(iter(spec.submodule_search_locations)))
