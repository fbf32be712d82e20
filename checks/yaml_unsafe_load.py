from __future__ import annotations

from collections.abc import Iterator

from transformers_scaffold.checker.api import Edit, FileRule, Finding
from transformers_scaffold.checker.astutil import dotted, keyword
from transformers_scaffold.checker.context import SourceFile

# Loaders known to construct arbitrary objects; a loader held in a variable is trusted (it is
# usually a SafeLoader subclass, as in our own toctree codemod).
UNSAFE_LOADERS = {"Loader", "FullLoader", "UnsafeLoader", "CLoader", "CFullLoader", "CUnsafeLoader"}


class YamlUnsafeLoad(FileRule):
    """What it does
    Flags `yaml.load(...)` without a `Loader`, or with one of PyYAML's unsafe loaders
    (`Loader`, `FullLoader`, `UnsafeLoader` and their C versions), and `yaml.unsafe_load`,
    `yaml.full_load`. A loader passed in a variable is assumed to be a safe subclass.

    Why is this bad?
    PyYAML's full loader constructs arbitrary Python objects from tags such as
    `!!python/object/apply`, so loading an untrusted file runs code.

    Example
    ```python
    config = yaml.load(stream)
    ```
    Use `yaml.safe_load(stream)`.

    Calls are matched through the file's imports (`import yaml as y`, `from yaml import load`).

    Fix safety
    `--fix` rewrites a one-line `yaml.load(x)` with no loader argument to `yaml.safe_load(x)`.
    That rejects Python-specific tags, which is the point; files that need them must be
    handled by hand.
    """

    CODE = "SCF307"
    NAME = "yaml-unsafe-load"
    SUMMARY = "yaml.load without a safe loader"
    FIXABLE = True
    FILES = ("*.py",)

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        if "yaml" not in source.text or source.tree is None:
            return
        imports = source.imports
        for node in source.calls:
            name = imports.call(node)
            if name in ("yaml.unsafe_load", "yaml.full_load"):
                yield self.finding(
                    source.path,
                    node.lineno,
                    f"{name}() constructs arbitrary objects",
                    col=node.col_offset + 1,
                    fix="use yaml.safe_load",
                )
                continue
            if name != "yaml.load":
                continue
            loader = keyword(node, "Loader") or (node.args[1] if len(node.args) > 1 else None)
            if loader is not None and dotted(loader).rsplit(".", 1)[-1] not in UNSAFE_LOADERS:
                continue
            edits: tuple[Edit, ...] = ()
            line = source.line(node.lineno)
            if (
                loader is None
                and node.lineno == node.end_lineno
                and line.count("yaml.load(") == 1
                and dotted(node.func) == "yaml.load"
            ):
                edits = (
                    Edit(source.path, node.lineno, node.lineno, line.replace("yaml.load(", "yaml.safe_load(") + "\n"),
                )
            yield self.finding(
                source.path,
                node.lineno,
                f"{name}() without a safe Loader",
                col=node.col_offset + 1,
                fix="use yaml.safe_load(...)",
                edits=edits,
            )
