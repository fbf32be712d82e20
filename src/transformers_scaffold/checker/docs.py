"""Generate `docs/checks/` from the registry: one page per rule plus an index.

`python -m transformers_scaffold.checker.docs [--check]` writes the pages (or, with `--check`,
exits 1 when they are stale); `tests/checker/test_docs.py` runs the same comparison in CI.
"""

from __future__ import annotations

import sys
from pathlib import Path

from transformers_scaffold.checker.api import DOC_HEADINGS, Rule

REPO_DOCS = Path(__file__).resolve().parents[3] / "docs" / "checks"


def rule_page(rule: type[Rule]) -> str:
    lines = [f"# {rule.CODE} {rule.NAME}", "", f"{rule.SUMMARY}.", ""]
    lines.append(f"Severity: **{rule.SEVERITY}**. Fix: **{'available with `--fix`' if rule.FIXABLE else 'none'}**.")
    scope = (
        "reported whenever the file or model is in scope (a whole-file finding)"
        if rule.SCOPE == "file"
        else "reported in files that existed before only on changed lines"
    )
    lines.append(f"In `--changed` runs: {scope}.")
    lines.append(f"Suppress on a line with `# scaffold: ignore[{rule.CODE}]`.")
    if rule.MIRRORS:
        lines.append(
            f"Mirrors upstream `{rule.MIRRORS}`: reads that check's conventions and allowlists from the fork,"
            " and reports nothing where it passes."
        )
    if rule.DUPLICATES:
        lines.append(f"Overlaps mlinter's {', '.join(rule.DUPLICATES)} (both report when the linter is installed).")
    lines.append("")
    doc = (rule.__doc__ or "").expandtabs()
    body = doc.splitlines()
    indent = min((len(line) - len(line.lstrip()) for line in body[1:] if line.strip()), default=0)
    for raw in body:
        line = raw[indent:] if raw[:indent].strip() == "" else raw.strip()
        if line.strip() in DOC_HEADINGS:
            lines += ["", f"## {line.strip()}", ""]
        else:
            lines.append(line.rstrip())
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip() + "\n"


def index_page(rules: list[type[Rule]]) -> str:
    lines = [
        "# scaffold check rules",
        "",
        "Generated from the registry in `checks/__init__.py` by",
        "`python -m transformers_scaffold.checker.docs`; do not edit by hand.",
        "",
        "## Usage",
        "",
        "```",
        "scaffold check [PATHS...] [--repo PATH] [--changed [--base REF]] [--select CODES] [--ignore CODES]",
        "               [--fix] [--format text|json|github|sarif] [--tests/--no-tests] [--no-cache] [-o FILE]",
        "               [--fail-on error|warning|info] [--hook]",
        "```",
        "",
        "- Exit status: 0 clean, 1 findings at or above `--fail-on`, 2 usage error (one line on stderr),",
        "  also when the repository is not a Transformers checkout (no `src/transformers/`).",
        "- Scope: the whole repository by default; `PATHS` narrow it; `--changed` checks the files that",
        "  differ from `--base` (default `HEAD`, untracked files included; with a base, from the merge",
        "  base). In files the change creates every finding counts; in files that existed before,",
        "  line rules report only on changed lines (upstream's existing debt does not block an",
        "  unrelated commit) while whole-file rules (registration, consistency) always report.",
        "- `--select`/`--ignore` take code prefixes (`SCF1,SCF302`). `--fix` applies the safe fixes (rules",
        "  marked *yes* below), then checks again and reports what is left.",
        "- `--format json` is the contract of `scaffold review` (schema:",
        "  `src/transformers_scaffold/checker/findings.schema.json`); `github` prints workflow",
        "  annotations; `sarif` is SARIF 2.1.0 for code scanning.",
        "- `--tests` runs pytest on the tests the checked files affect (SCF401).",
        "- Suppress a line with `# scaffold: ignore[SCF201]` (or `# scaffold: ignore` for all codes), a",
        "  file with `# scaffold: ignore-file[SCF312]` in its first 20 lines.",
        "- Settings in the fork's `pyproject.toml`: `[tool.scaffold]` `select`, `ignore`, `exclude`,",
        "  `per-file-ignores`, `fail-on`, and `[tool.scaffold.rule-options.<rule-name>]` (e.g. `large-file`",
        "  `max-kb`, `config-attr-unused` `allow`). Unknown keys, codes, rule names, options and values of",
        "  the wrong type are usage errors (exit 2, one line naming the key).",
        "- `--fail-on error|warning|info` (or `[tool.scaffold] fail-on`): the lowest severity that makes",
        "  the run exit 1; default `info` (any finding). `--hook` (what the pre-commit hooks pass)",
        "  defaults it to `error`, so a warning never blocks a commit unless the fork asks for it.",
        "- The JSON report carries `tool_version`, `counts` per severity and `notes` (one-line facts",
        "  about the run, e.g. which ruff ran).",
        "- Findings of per-file rules are cached by content hash in `<repo>/.cache/scaffold-check/`",
        "  (`$SCAFFOLD_CHECK_CACHE` moves it; `--no-cache` skips it).",
        "- pre-commit: `.pre-commit-hooks.yaml` offers `scaffold-check` (staged files) and",
        "  `scaffold-tests` (pre-push, affected tests).",
        "",
        "## Rules",
        "",
        "| Code | Name | Severity | Fix | Mirrors | Summary |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for rule in rules:
        mirrors = f"`{rule.MIRRORS}`" if rule.MIRRORS else ""
        lines.append(
            f"| [{rule.CODE}]({rule.CODE}.md) | {rule.NAME} | {rule.SEVERITY} | {'yes' if rule.FIXABLE else ''}"
            f" | {mirrors} | {rule.SUMMARY} |"
        )
    return "\n".join(lines) + "\n"


def render_all(rules: list[type[Rule]]) -> dict[str, str]:
    pages = {f"{rule.CODE}.md": rule_page(rule) for rule in rules}
    pages["README.md"] = index_page(rules)
    return pages


def stale_pages(folder: Path, rules: list[type[Rule]]) -> list[str]:
    expected = render_all(rules)
    stale = [n for n, text in expected.items() if not (folder / n).is_file() or (folder / n).read_text() != text]
    extra = [p.name for p in folder.glob("*.md") if p.name not in expected] if folder.is_dir() else []
    return sorted(stale + extra)


def main(argv: list[str] | None = None) -> int:
    from transformers_scaffold.checks import RULES

    args = sys.argv[1:] if argv is None else argv
    rules = list(RULES)
    if "--check" in args:
        stale = stale_pages(REPO_DOCS, rules)
        if stale:
            print(f"docs/checks is stale ({', '.join(stale)}); run python -m transformers_scaffold.checker.docs")
            return 1
        return 0
    REPO_DOCS.mkdir(parents=True, exist_ok=True)
    for extra in stale_pages(REPO_DOCS, rules):
        if extra.endswith(".md") and (REPO_DOCS / extra).exists() and extra not in render_all(rules):
            (REPO_DOCS / extra).unlink()
    for name, text in render_all(rules).items():
        (REPO_DOCS / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
