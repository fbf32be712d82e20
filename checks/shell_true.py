from __future__ import annotations

import ast
from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.astutil import keyword
from transformers_scaffold.checker.context import SourceFile


class ShellTrue(FileRule):
    """What it does
    Flags `subprocess.*(..., shell=True)` and `os.system(...)`.

    Why is this bad?
    A shell parses the command string, so any interpolated value (a model name, a path from a
    config) can inject commands.

    Example
    ```python
    subprocess.run(f"git clone {url}", shell=True)
    ```
    Pass an argument list: `subprocess.run(["git", "clone", url], check=True)`.

    Calls are matched by what they resolve to through the file's imports (`import subprocess as
    sp; sp.run(...)`, `from os import system`, function-local imports).

    Fix safety
    No automatic fix: splitting a shell string correctly needs a human.
    """

    CODE = "SCF308"
    NAME = "subprocess-shell"
    SUMMARY = "subprocess with shell=True or os.system"
    FILES = ("*.py",)

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        if ("shell=True" not in source.text and "system" not in source.text) or source.tree is None:
            return
        imports = source.imports
        for node in source.calls:
            name = imports.call(node)
            flag = keyword(node, "shell")
            if name.startswith("subprocess.") and isinstance(flag, ast.Constant) and flag.value is True:
                yield self.finding(
                    source.path,
                    node.lineno,
                    f"{name}(shell=True) allows shell injection",
                    col=node.col_offset + 1,
                    fix="pass an argument list without shell=True",
                )
            elif name == "os.system":
                yield self.finding(
                    source.path,
                    node.lineno,
                    "os.system() runs its argument through a shell",
                    col=node.col_offset + 1,
                    fix="use subprocess.run([...], check=True)",
                )
