"""`--like` carries the source's entry of the fork's `utils/check_config_attributes.py` allowlist over."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.pipeline.helpers import run_cli
from transformers_scaffold.like.conventions import copy_allowlist_entry

ALLOWLIST = """\
SPECIAL_CASES_TO_ALLOW = {
    "Phi3Config": ["embd_pdrop"],
    # a comment stays
    "Qwen2Config": True,
}
ATTRIBUTES_TO_ALLOW = ("initializer_range",)
"""


def test_the_entry_is_copied_after_the_source_and_nothing_else_changes() -> None:
    new = copy_allowlist_entry(ALLOWLIST, "Phi3Config", "AcmeConfig")
    assert new == ALLOWLIST.replace(
        '    "Phi3Config": ["embd_pdrop"],\n', '    "Phi3Config": ["embd_pdrop"],\n    "AcmeConfig": ["embd_pdrop"],\n'
    )
    assert copy_allowlist_entry(new, "Phi3Config", "AcmeConfig") == new  # idempotent
    assert copy_allowlist_entry(ALLOWLIST, "LlamaConfig", "AcmeConfig") == ALLOWLIST  # not allowlisted: no edit
    last = copy_allowlist_entry(ALLOWLIST, "Qwen2Config", "AcmeConfig")
    compile(last, "check_config_attributes.py", "exec")
    assert '"Qwen2Config": True,\n    "AcmeConfig": True,' in last


@pytest.mark.slow
def test_like_phi3_allowlists_the_new_config_in_the_fork(fork: Path, capsys: pytest.CaptureFixture[str]) -> None:
    utils = fork / "utils"
    utils.mkdir(exist_ok=True)
    (utils / "check_config_attributes.py").write_text(ALLOWLIST)
    subprocess.run(["git", "add", "-A"], cwd=fork, check=True)
    subprocess.run(["git", "commit", "-qm", "the fork's config attribute check"], cwd=fork, check=True)
    code, out, err = run_cli(capsys, "new-model", "acme", "--like", "phi3", "--yes", "--repo", str(fork))
    assert code == 0, err
    text = (utils / "check_config_attributes.py").read_text()
    assert '"AcmeConfig": ["embd_pdrop"],' in text
    assert "edited   utils/check_config_attributes.py" in out
