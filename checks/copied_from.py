from __future__ import annotations

import re
from collections.abc import Iterator

from transformers_scaffold.checker.api import Edit, Finding, Rule
from transformers_scaffold.checker.context import LIBRARY_DIR, CheckContext, SourceFile

COPIED = re.compile(r"^(\s*)# Copied from transformers\.([\w.]+)(?:\s+with\s+([^#]*?))?\s*(?:#.*)?$")
PAIR = re.compile(r"([\w.]+)->([\w.]+)")
DEF = re.compile(r"^(\s*)(?:async\s+def|def|class)\s+(\w+)")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def block_end(lines: list[str], start: int) -> int:
    """Index after the last line of the definition starting at `start` (0-based), textually.

    The block is every following line that is blank or indented deeper, plus closing brackets
    at the definition's own indent (multi-line signatures). Trailing blank lines are dropped.
    """
    base = _indent(lines[start])
    end = start + 1
    while end < len(lines):
        line = lines[end]
        if line.strip() and _indent(line) <= base and not line.lstrip().startswith((")", "]", "}")):
            break
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return end


def locate(lines: list[str], names: list[str]) -> int | None:
    """0-based line of the (possibly nested) definition `names`, textually."""
    lo, hi, depth = 0, len(lines), -1
    found = None
    for name in names:
        found = None
        for i in range(lo, hi):
            match = DEF.match(lines[i])
            better = found is None or _indent(lines[i]) < _indent(lines[found])
            if match and match.group(2) == name and _indent(lines[i]) > depth and better:
                found = i
                if depth < 0:
                    break
        if found is None:
            return None
        lo, hi, depth = found + 1, block_end(lines, found), _indent(lines[found])
    return found


def _code(lines: list[str], start: int) -> list[str]:
    block = lines[start : block_end(lines, start)]
    base = _indent(block[0])
    return [line[base:] if line.strip() else "" for line in block]


def _replace(lines: list[str], spec: str | None) -> list[str]:
    if not spec:
        return lines
    all_casing = "all-casing" in spec.split()
    text = "\n".join(lines)
    for old, new in PAIR.findall(spec):
        text = text.replace(old, new)
        if all_casing:
            text = text.replace(old.lower(), new.lower()).replace(old.upper(), new.upper())
    return text.split("\n")


def _normal(lines: list[str]) -> list[str]:
    return [line.rstrip() for line in lines if line.strip()]


class CopiedFrom(Rule):
    """What it does
    For every `# Copied from transformers.<module>.<object> [with A->B, C->D [all-casing]]`
    comment, checks that the definition below it equals the named object with the
    replacements applied (ignoring blank lines and trailing spaces).

    Why is this bad?
    "Copied from" blocks are kept in sync mechanically (`make fix-copies`); a hand-edited copy
    silently diverges and CI's `check_copies.py` fails. Change the original, or drop the comment
    if the code is meant to differ.

    Example
    ```python
    # Copied from transformers.models.llama.modeling_llama.LlamaRMSNorm with Llama->Acme
    class AcmeRMSNorm(nn.Module):
        ...  # differs from LlamaRMSNorm
    ```

    Fix safety
    Safe: `--fix` replaces the copy with the original (replacements applied), re-indented, which
    is what upstream's `make fix-copies` does. Definitions containing `# Ignore copy` are
    skipped, as upstream does. Blocks are found textually (indentation), not parsed: fast on
    the whole tree, and upstream's copies are ruff-formatted so the two agree. Upstream also
    re-formats replaced code before comparing; where a replacement changes a line's length so
    that ruff would wrap it differently, this rule reports a difference upstream would not.
    """

    CODE = "SCF302"
    NAME = "copied-from-out-of-sync"
    SUMMARY = "# Copied from block differs from its original"
    FIXABLE = True

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for source in ctx.iter_files(("src/transformers/*.py", "tests/*.py")):
            if "# Copied from transformers." not in source.text:
                continue
            lines = source.lines
            for index, line in enumerate(lines):
                match = COPIED.match(line)
                if not match:
                    continue
                start = index + 1
                while start < len(lines) and lines[start].lstrip().startswith(("@", "#")):
                    start += 1
                if start < len(lines) and DEF.match(lines[start]):
                    yield from self._compare(ctx, source, index + 1, match, start)

    def _resolve(self, ctx: CheckContext, dotted: str) -> tuple[list[str], int] | None:
        parts = dotted.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            path = f"{LIBRARY_DIR}/{'/'.join(parts[:cut])}.py"
            if ctx.exists(path):
                lines = ctx.source(path).lines
                found = locate(lines, parts[cut:])
                return (lines, found) if found is not None else None
        return None

    def _compare(
        self, ctx: CheckContext, source: SourceFile, number: int, match: re.Match[str], start: int
    ) -> Iterator[Finding]:
        resolved = self._resolve(ctx, match.group(2))
        if resolved is None:
            yield self.finding(
                source.path,
                number,
                f"cannot find transformers.{match.group(2)}",
                fix="point the comment at an existing object or remove it",
            )
            return
        mine = _code(source.lines, start)
        if any("Ignore copy" in line for line in mine):
            return
        expected = _replace(_code(*resolved), match.group(3))
        if _normal(mine) == _normal(expected):
            return
        end = block_end(source.lines, start)
        indent = match.group(1)
        text = "".join(f"{indent}{line}\n" if line else "\n" for line in expected)
        yield self.finding(
            source.path,
            number,
            f"differs from transformers.{match.group(2)}",
            end_line=end,
            fix="make fix-copies (or drop the comment if it should differ)",
            edits=(Edit(source.path, start + 1, end, text),),
        )
