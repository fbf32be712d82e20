from __future__ import annotations

from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.astutil import keyword
from transformers_scaffold.checker.context import SourceFile

METHODS = {"get", "post", "put", "patch", "delete", "head", "options", "request"}


class RequestsWithoutTimeout(FileRule):
    """What it does
    Flags `requests.get/post/...(...)` and `httpx.*` calls without a `timeout=` argument.

    Why is this bad?
    Without a timeout a stalled server blocks the caller forever: a hung CI job or a frozen
    `from_pretrained`.

    Example
    ```python
    response = requests.get(url)
    ```
    Write `requests.get(url, timeout=10)`.

    Calls are matched through the file's imports (`import requests as rq`, `from requests import get`).

    Fix safety
    No automatic fix: the right timeout depends on the call.
    """

    CODE = "SCF309"
    NAME = "requests-without-timeout"
    SUMMARY = "HTTP request without a timeout"
    SEVERITY = "warning"
    FILES = ("*.py",)

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        # Docstring examples (`>>> requests.get(url, stream=True)`) are not calls: skip the parse.
        code_lines = (
            line
            for line in source.lines
            if ("requests" in line or "httpx" in line) and not line.lstrip().startswith((">>>", "...", "#"))
        )
        if next(code_lines, None) is None or source.tree is None:
            return
        imports = source.imports
        for node in source.calls:
            module, _, method = imports.call(node).rpartition(".")
            if module in ("requests", "httpx") and method in METHODS and keyword(node, "timeout") is None:
                if any(kw.arg is None for kw in node.keywords):
                    continue  # **kwargs may carry the timeout
                yield self.finding(
                    source.path,
                    node.lineno,
                    f"{module}.{method}() without timeout=",
                    col=node.col_offset + 1,
                    fix="pass timeout=<seconds>",
                )
