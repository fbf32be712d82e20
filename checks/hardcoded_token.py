from __future__ import annotations

import re
from collections.abc import Iterator

from transformers_scaffold.checker.api import FileRule, Finding
from transformers_scaffold.checker.context import SourceFile

TOKEN = re.compile(
    r"\b(hf_[A-Za-z0-9]{30,}|ghp_[A-Za-z0-9]{36}|gho_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{60,}"
    r"|AKIA[0-9A-Z]{16}|sk-[A-Za-z0-9]{40,}|xox[bp]-[A-Za-z0-9-]{20,})\b"
)
PREFIXES = ("hf_", "ghp_", "gho_", "github_pat_", "AKIA", "sk-", "xoxb-", "xoxp-")
TEXT_FILES = (
    "*.py",
    "*.md",
    "*.yml",
    "*.yaml",
    "*.json",
    "*.toml",
    "*.cfg",
    "*.txt",
    "*.sh",
    "*.ipynb",
    "*.ini",
    "*.env",
)


class HardcodedToken(FileRule):
    """What it does
    Flags strings that look like access tokens: Hugging Face (`hf_...`), GitHub (`ghp_`,
    `gho_`, `github_pat_`), AWS access keys (`AKIA...`), OpenAI-style `sk-...` and Slack tokens.

    Why is this bad?
    A token pushed to a public fork is leaked the moment the PR opens; bots scrape GitHub for
    them within minutes.

    Example
    ```python
    api = HfApi(token="hf_...")  # a real 34+ character token here
    ```
    Read it from the environment (`HF_TOKEN`) or the user's login instead.

    Fix safety
    No automatic fix: revoke the token first, then remove it (and from git history).
    """

    CODE = "SCF310"
    NAME = "hardcoded-token"
    SUMMARY = "access token committed in a file"
    FILES = TEXT_FILES

    def check_file(self, source: SourceFile) -> Iterator[Finding]:
        text = source.text
        if not any(p in text for p in PREFIXES) or not TOKEN.search(text):
            return
        for number, line in enumerate(source.lines, start=1):
            match = TOKEN.search(line)
            if match:
                shown = match.group(1)[:6] + "..."
                yield self.finding(
                    source.path,
                    number,
                    f"looks like a secret token ({shown})",
                    col=match.start() + 1,
                    fix="revoke it and read it from the environment",
                )
