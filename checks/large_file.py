from __future__ import annotations

from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.context import SourceFile

DEFAULT_MAX_KB = 1024
BINARY_SUFFIXES = (
    ".bin",
    ".safetensors",
    ".pt",
    ".pth",
    ".ckpt",
    ".h5",
    ".msgpack",
    ".onnx",
    ".npy",
    ".npz",
    ".pkl",
    ".gguf",
)


class LargeFile(FileRule):
    """What it does
    Flags files bigger than `max-kb` (default 1024 KiB) and weight/binary files
    (`.bin`, `.safetensors`, `.pt`, `.onnx`, `.npy`, ... or any file with NUL bytes) outside
    `tests/fixtures/`, `docs/` images excepted.

    Why is this bad?
    Git keeps every version forever: a checkpoint committed by mistake bloats every clone of
    the fork. Weights belong on the Hub; large test data belongs in a Hub dataset.

    Example
    A PR that adds `tests/models/acme/weights.safetensors`.

    Fix safety
    No automatic fix: remove the file from the commit (`git rm --cached`) and upload it to the
    Hub. Set `[tool.scaffold.rule-options.large-file] max-kb = ...` to change the limit.
    """

    CODE = "SCF311"
    OPTIONS = {"max-kb": (int, float)}
    NAME = "large-file"
    SUMMARY = "large or binary file committed"
    SCOPE = "file"
    FILES = ("*",)
    EXCLUDE = ("*.png", "*.jpg", "*.jpeg", "*.gif", "*.svg", "*.ico", "*.webp", "tests/fixtures/*")

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        try:
            size = source.abspath.stat().st_size
            with source.abspath.open("rb") as handle:
                head = handle.read(8192)
        except OSError:
            return
        limit = int(self.option("max-kb", DEFAULT_MAX_KB))
        if size > limit * 1024:
            yield self.finding(
                source.path,
                1,
                f"file is {size // 1024} KiB (limit {limit} KiB)",
                fix="keep large data on the Hub, not in git",
            )
        elif source.path.endswith(BINARY_SUFFIXES) or b"\0" in head:
            yield self.finding(
                source.path,
                1,
                "binary file in the repository",
                fix="upload weights/data to the Hub and load them from there",
            )
