from __future__ import annotations

import re
from collections.abc import Iterator

from transformers_scaffold.checker.api import Edit, Finding, Rule
from transformers_scaffold.checker.context import LIBRARY_DIR, CheckContext, SourceFile

COPIED = re.compile(r"^(\s*)# Copied from transformers\.([\w.]+)(?:\s+with\s+(.*?))?(?:\s{2,}#.*)?\s*$")
# Upstream's test-file form (`_re_copy_warning_for_test_file`): `# Copied from tests.models.x...`,
# resolved under tests/. In test files upstream reads only this form.
COPIED_TESTS = re.compile(r"^(\s*)# Copied from (?=tests\.)([\w.]+)(?:\s+with\s+(.*?))?(?:\s{2,}#.*)?\s*$")
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
    # `# End copy` ends the copied part early (upstream's marker); the rest is the copy's own.
    stop = next((i for i, line in enumerate(block) if line.strip() == "# End copy"), None)
    block = block[:stop] if stop is not None else block
    base = _indent(block[0])
    return [line[base:] if line.strip() else "" for line in block]


REPLACE_PAIR = re.compile(r"^\s*(\S+)->(\S+)(\s+.*|$)")  # upstream's `_re_replace_pattern`


def _replace(lines: list[str], spec: str | None) -> list[str]:
    """Apply `with A->B,C->D all-casing` exactly as upstream's `replace_code` does: pairs split on
    commas, each side one run of non-spaces (a pair with a space, `Conditional DETR->DAB-DETR`, is
    skipped by upstream and so here), the left side a regular expression, `all-casing` per pair."""
    if not spec:
        return lines
    text = "\n".join(lines)
    for raw in spec.replace("with", "").split(","):
        pair = REPLACE_PAIR.search(raw)
        if pair is None:
            continue
        old, new, option = pair.groups()
        try:
            text = re.sub(old, new, text)
            if option.strip() == "all-casing":
                text = re.sub(old.lower(), new.lower(), text)
                text = re.sub(old.upper(), new.upper(), text)
        except re.error:
            continue
    return text.split("\n")


def _normal(lines: list[str]) -> str:
    """Whitespace-free text with the definition's own name blanked: upstream ignores the name
    of the copy (`MraSelfOutput` copied from `BertSelfOutput` without a replacement) and re-formats
    replaced code, so line wrapping and spacing must not count as differences."""
    first = DEF.sub(lambda m: m.group(0)[: m.start(2) - m.start(0)] + "_", lines[0], count=1) if lines else ""
    squashed = "".join("".join([first, *lines[1:]]).split())
    return re.sub(r",([)\]}])", r"\1", squashed)  # magic trailing commas come and go with wrapping


class CopiedFrom(Rule):
    """What it does
    For every `# Copied from transformers.<module>.<object> [with A->B, C->D [all-casing]]`
    comment in library code, and every `# Copied from tests.<module>.<object>` comment in test
    files (upstream's test-file form; `transformers.` comments in tests are not checked, as
    upstream does not read them), checks that the definition below it equals the named object with the
    replacements applied. Whitespace and line wrapping are ignored (upstream re-formats the
    replaced code before comparing), and so is the copy's own name on its `def`/`class` line.

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
    Safe: `--fix` replaces the copy with the original (replacements applied, the copy's own name
    kept), re-indented, which is what upstream's `make fix-copies` does. Definitions containing
    `# Ignore copy` are skipped, and a `# End copy` line ends the compared (and fixed) part, as
    upstream does. Blocks are found textually (indentation), not parsed: fast on the whole tree,
    and upstream's copies are ruff-formatted so the two agree. After `--fix`, run `ruff format`
    (SCF002 does) since replaced names can change line lengths.
    Replacement pairs are read as upstream's `replace_code` reads them (see `_replace`).
    """

    CODE = "SCF302"
    MIRRORS = "utils/check_copies.py"
    NAME = "copied-from-out-of-sync"
    SUMMARY = "# Copied from block differs from its original"
    FIXABLE = True

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for source in ctx.iter_files(("src/transformers/*.py", "tests/*.py")):
            in_tests = source.path.startswith("tests/")
            if ("# Copied from tests." if in_tests else "# Copied from transformers.") not in source.text:
                continue
            pattern = COPIED_TESTS if in_tests else COPIED
            lines = source.lines
            for index, line in enumerate(lines):
                match = pattern.match(line)
                if not match:
                    continue
                start = index + 1
                while start < len(lines) and lines[start].lstrip().startswith(("@", "#")):
                    start += 1
                if start < len(lines) and DEF.match(lines[start]):
                    yield from self._compare(ctx, source, index + 1, match, start)

    def _resolve(self, ctx: CheckContext, dotted: str) -> tuple[list[str], int] | None:
        parts = dotted.split(".")
        base = LIBRARY_DIR
        if parts[0] == "tests":  # `tests.models.x.test_y.Cls` lives in tests/models/x/test_y.py
            base, parts = "tests", parts[1:]
        for cut in range(len(parts) - 1, 0, -1):
            path = f"{base}/{'/'.join(parts[:cut])}.py"
            if ctx.exists(path):
                lines = ctx.source(path).lines
                found = locate(lines, parts[cut:])
                return (lines, found) if found is not None else None
        return None

    def _compare(
        self, ctx: CheckContext, source: SourceFile, number: int, match: re.Match[str], start: int
    ) -> Iterator[Finding]:
        resolved = self._resolve(ctx, match.group(2))
        origin = match.group(2) if match.group(2).startswith("tests.") else f"transformers.{match.group(2)}"
        if resolved is None:
            yield self.finding(
                source.path,
                number,
                f"cannot find {origin}",
                fix="point the comment at an existing object or remove it",
            )
            return
        mine = _code(source.lines, start)
        if any("Ignore copy" in line for line in mine):
            return
        expected = _replace(_code(*resolved), match.group(3))
        if _normal(mine) == _normal(expected):
            return
        end = start + len(mine)  # up to `# End copy` when there is one
        indent = match.group(1)
        own = DEF.match(source.lines[start])
        if own and expected:  # the copy keeps its own name (upstream ignores it too)
            expected[0] = DEF.sub(lambda m: m.group(0)[: m.start(2) - m.start(0)] + own.group(2), expected[0], count=1)
        text = "".join(f"{indent}{line}\n" if line else "\n" for line in expected)
        yield self.finding(
            source.path,
            number,
            f"differs from {origin}",
            end_line=end,
            fix="make fix-copies (or drop the comment if it should differ)",
            edits=(Edit(source.path, start + 1, end, text),),
        )
