"""Generate `docs/codemods/` from the codemod registry: one page per codemod plus an index.

`python -m transformers_scaffold.codemods.docs [--check]` writes the pages (or, with `--check`,
exits 1 when they are stale); `tests/codemods/test_registry.py` runs the same comparison in CI.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

from transformers_scaffold.codemods.registry import CODEMODS

REPO_DOCS = Path(__file__).resolve().parents[3] / "docs" / "codemods"


def codemod_page(cls: type) -> str:
    doc = inspect.getdoc(cls) or ""
    module_doc = inspect.getdoc(sys.modules[cls.__module__]) or ""
    files = "\n".join(f"- `{f}`" for f in cls.FILES)  # type: ignore[attr-defined]
    signature = str(inspect.signature(cls))
    parts = [
        f"# {cls.NAME}",  # type: ignore[attr-defined]
        "",
        f"{cls.DESCRIPTION}",  # type: ignore[attr-defined]
        "",
        f"Class: `{cls.__module__}.{cls.__name__}{signature}`; `.transform(text) -> str`.",
        "",
        "## Edits",
        "",
        files or "- (any file given)",
        "",
        "## What it does",
        "",
        doc,
        "",
        "## Details",
        "",
        module_doc,
    ]
    return "\n".join(parts).rstrip() + "\n"


def index_page() -> str:
    lines = [
        "# Codemods",
        "",
        "Generated from the registry in `src/transformers_scaffold/codemods/registry.py` by",
        "`python -m transformers_scaffold.codemods.docs`; do not edit by hand. The guide is",
        "[../codemods.md](../codemods.md).",
        "",
        "| codemod | edits | what |",
        "| --- | --- | --- |",
    ]
    for cls in CODEMODS:
        files = ", ".join(f"`{f.rsplit('/', 1)[-1]}`" for f in cls.FILES)  # type: ignore[attr-defined]
        lines.append(f"| [{cls.NAME}]({cls.NAME}.md) | {files} | {cls.DESCRIPTION} |")  # type: ignore[attr-defined]
    return "\n".join(lines) + "\n"


def expected_pages() -> dict[str, str]:
    pages = {f"{cls.NAME}.md": codemod_page(cls) for cls in CODEMODS}  # type: ignore[attr-defined]
    pages["README.md"] = index_page()
    return pages


def stale_pages(folder: Path) -> list[str]:
    pages = expected_pages()
    stale = [
        name for name, text in pages.items() if not (folder / name).is_file() or (folder / name).read_text() != text
    ]
    stale += sorted(p.name for p in folder.glob("*.md") if p.name not in pages) if folder.is_dir() else []
    return stale


def main(argv: list[str]) -> int:
    if "--check" in argv:
        stale = stale_pages(REPO_DOCS)
        if stale:
            print(f"stale codemod docs: {', '.join(stale)}; run python -m transformers_scaffold.codemods.docs")
            return 1
        return 0
    REPO_DOCS.mkdir(parents=True, exist_ok=True)
    for old in REPO_DOCS.glob("*.md"):
        if old.name not in expected_pages():
            old.unlink()
    for name, text in expected_pages().items():
        (REPO_DOCS / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
