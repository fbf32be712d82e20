"""The Transformers fork being edited: where things are, which version, what already exists.

Everything here is read statically (text and `ast`); the fork's `transformers` is never imported,
so a broken fork cannot break the generator and a scan of 559 models stays cheap.
"""

from __future__ import annotations

import ast
import re
import subprocess
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from transformers_scaffold.errors import UserError

_VERSION = re.compile(r"""^__version__\s*=\s*["']([^"']+)["']""", re.MULTILINE)
MODELS_DIR = Path("src/transformers/models")
AUTO_DIR = MODELS_DIR / "auto"


@dataclass(frozen=True)
class Version:
    major: int
    minor: int
    patch: int
    raw: str

    @classmethod
    def parse(cls, raw: str) -> Version:
        match = re.match(r"(\d+)\.(\d+)\.(\d+)", raw)
        if not match:
            raise UserError(f"cannot read the fork's transformers version {raw!r}; fix src/transformers/__init__.py")
        return cls(int(match[1]), int(match[2]), int(match[3]), raw)

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)


def _value_literal(source: str) -> str:
    """The class name in a mapping value's source: `"X"` -> X; `"X" if cond() else None` -> X."""
    node = ast.parse(f"(\n{source}\n)", mode="eval").body  # multi-line values come dedented
    if isinstance(node, ast.IfExp):
        node = node.body
    return str(node.value) if isinstance(node, ast.Constant) else source


def _mappings(text: str | None) -> dict[str, dict[str, str]]:
    """Every `NAME = OrderedDict([...])` mapping of a file as {NAME: {key: value literal}}."""
    from transformers_scaffold.codemods.mappings import read_mappings

    return {
        name: {key: _value_literal(value) for key, value in pairs} for name, pairs in read_mappings(text or "").items()
    }


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
        if (
            not (fork.root / AUTO_DIR / "modeling_auto.py").is_file()
            or not (fork.root / "src/transformers/__init__.py").is_file()
        ):
            raise UserError(
                f"{repo} is not a Transformers source tree (no src/transformers/models/auto/); pass --repo PATH to a fork"
            )
        if not (fork.root / ".git").exists():
            raise UserError(
                f"{repo} is not a git repository; run `git init && git add -A && git commit` first so changes can be reviewed"
            )
        return fork

    def path(self, rel: str | Path) -> Path:
        return self.root / rel

    def read(self, rel: str | Path) -> str | None:
        path = self.root / rel
        return path.read_text(encoding="utf-8") if path.is_file() else None

    @cached_property
    def version(self) -> Version:
        text = self.read("src/transformers/__init__.py") or ""
        match = _VERSION.search(text)
        if not match:
            raise UserError("cannot find __version__ in src/transformers/__init__.py; is this a Transformers fork?")
        return Version.parse(match[1])

    @cached_property
    def config_mapping_file(self) -> Path:
        """5.24 generates CONFIG_MAPPING_NAMES into auto_mappings.py; older trees keep it in configuration_auto.py."""
        generated = AUTO_DIR / "auto_mappings.py"
        return generated if (self.root / generated).is_file() else AUTO_DIR / "configuration_auto.py"

    @cached_property
    def _config_file_mappings(self) -> dict[str, dict[str, str]]:
        return _mappings(self.read(self.config_mapping_file))

    @cached_property
    def config_mapping(self) -> dict[str, str]:
        """model_type -> config class, as registered in the fork."""
        return self._config_file_mappings.get("CONFIG_MAPPING_NAMES", {})

    @cached_property
    def special_module_names(self) -> dict[str, str]:
        return self._config_file_mappings.get("SPECIAL_MODEL_TYPE_TO_MODULE_NAME", {})

    def module_of(self, model_type: str) -> str:
        return self.special_module_names.get(model_type, model_type.replace("-", "_"))

    @cached_property
    def model_modules(self) -> set[str]:
        return {p.name for p in (self.root / MODELS_DIR).iterdir() if p.is_dir() and not p.name.startswith("_")}

    @cached_property
    def registered_classes(self) -> set[str]:
        """Every class name the auto mappings know: configs and model classes."""
        classes = set(self.config_mapping.values())
        text = self.read(AUTO_DIR / "modeling_auto.py") or ""
        classes.update(re.findall(r"""\(\s*"[^"]+"\s*,\s*"([A-Za-z0-9_]+)"\s*\)""", text))
        return classes

    @cached_property
    def tokenizer_mapping(self) -> dict[str, str]:
        """model_type -> tokenizer class name (None entries dropped)."""
        mapping = _mappings(self.read(AUTO_DIR / "tokenization_auto.py")).get("TOKENIZER_MAPPING_NAMES", {})
        return {key: value for key, value in mapping.items() if value is not None and value != "None"}

    @property
    def has_modular_converter(self) -> bool:
        return (self.root / "utils/modular_model_converter.py").is_file()

    def dirty_paths(self, paths: list[str]) -> list[str]:
        """Those of `paths` (repo-relative) with uncommitted changes or untracked."""
        if not paths:
            return []
        proc = _git(["status", "--porcelain", "--untracked-files=all", "--", *paths], cwd=self.root)
        if proc.returncode != 0:
            raise UserError(
                f"`git status` failed in {self.root}: {proc.stderr.strip()[:200]}; is it a healthy git repository?"
            )
        return [line[3:] for line in proc.stdout.splitlines() if line.strip()]
