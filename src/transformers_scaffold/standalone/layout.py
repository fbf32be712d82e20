"""A standalone package on disk: where it is, what it holds (`[tool.scaffold.standalone]` of its
`pyproject.toml`, written by the template), and the installed transformers it builds against."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import tomllib

from transformers_scaffold.errors import UserError

MARKER_TABLE = ("tool", "scaffold", "standalone")


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


def standalone_table(root: Path) -> dict | None:
    """`[tool.scaffold.standalone]` of `root/pyproject.toml`, None when absent or unreadable."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    for key in MARKER_TABLE:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else None


def locate_package(root: Path | None) -> Package:
    root = (root or Path.cwd()).resolve()
    table = standalone_table(root)
    if table is None:
        raise UserError(
            f"{root} is not a standalone package (no [tool.scaffold.standalone] in pyproject.toml); "
            "pass --repo DIR of a package made by `scaffold new-model NAME --standalone`"
        )
    values = {key: table.get(key) for key in ("package", "model_type", "module")}
    if not all(isinstance(v, str) and v for v in values.values()) or not str(values["package"]).isidentifier():
        raise UserError(f"{root}/pyproject.toml: [tool.scaffold.standalone] needs package, model_type and module")
    if not (root / "src" / str(values["package"]) / "__init__.py").is_file():
        raise UserError(f"{root}: src/{values['package']}/__init__.py not found; is this the package root?")
    return Package(root, str(values["package"]), str(values["model_type"]), str(values["module"]))


def installed_transformers() -> Path:
    """The directory of the installed `transformers` package (found, not imported)."""
    spec = importlib.util.find_spec("transformers")
    if spec is None or not spec.submodule_search_locations:
        raise UserError("transformers is not installed; `pip install transformers` first")
    return Path(next(iter(spec.submodule_search_locations)))


def installed_reader(rel: str) -> str | None:
    """A fork-layout reader (`src/transformers/...`) over the installed transformers, for `facts`."""
    prefix = "src/transformers/"
    if not rel.startswith(prefix):
        return None
    path = installed_transformers() / rel[len(prefix) :]
    return path.read_text(encoding="utf-8") if path.is_file() else None
