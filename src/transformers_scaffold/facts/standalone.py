"""A standalone model package (made by `scaffold new-model NAME --standalone`), as plain data.

Its `pyproject.toml` says what it holds in `[tool.scaffold.standalone]` (package, model type,
module). `fork_path` maps a package file onto the path the same file has in a fork, so rules
written for fork paths (`src/transformers/models/*/modeling_*.py`) apply to
`src/<package>/modeling_<module>.py` too. Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass

import tomllib

PYPROJECT = "pyproject.toml"
MARKER_TABLE = ("tool", "scaffold", "standalone")


@dataclass(frozen=True)
class StandalonePackage:
    package: str  # import name: src/<package>/
    model_type: str
    module: str

    @property
    def src(self) -> str:
        return f"src/{self.package}"

    def fork_path(self, path: str) -> str:
        """`src/<package>/modeling_x.py` -> `src/transformers/models/<module>/modeling_x.py`; others unchanged."""
        prefix = self.src + "/"
        if path.startswith(prefix) and "/" not in path[len(prefix) :]:
            return f"src/transformers/models/{self.module}/{path[len(prefix) :]}"
        return path


def read_standalone(pyproject_text: str | None) -> StandalonePackage | None:
    """The package's own description, None when `pyproject.toml` has no `[tool.scaffold.standalone]`."""
    if not pyproject_text:
        return None
    try:
        data: object = tomllib.loads(pyproject_text)
    except tomllib.TOMLDecodeError:
        return None
    for key in MARKER_TABLE:
        data = data.get(key) if isinstance(data, dict) else None
    if not isinstance(data, dict):
        return None
    values = [data.get(key) for key in ("package", "model_type", "module")]
    if not all(isinstance(v, str) and v for v in values) or not str(values[0]).isidentifier():
        return None
    return StandalonePackage(str(values[0]), str(values[1]), str(values[2]))
