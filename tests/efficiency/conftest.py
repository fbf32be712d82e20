"""One fork holding a scaffolded decoder (`acme`), encoder (`bolt`) and `--like llama` (`kite`).

Scaffolded once per session: the efficiency tests and launcher proofs only read it (each run writes
its outputs under its own tmp_path).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import clone_fork
from transformers_scaffold.cli import main

MODELS = {
    "decoder": ("acme", ["--template", "decoder"]),
    "encoder": ("bolt", ["--template", "encoder"]),
    "like-llama": ("kite", ["--like", "llama"]),
}


@pytest.fixture(scope="session")
def efficiency_fork(sdist_fork: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    fork = clone_fork(sdist_fork, tmp_path_factory.mktemp("efficiency") / "fork")
    for module, args in MODELS.values():
        code = main(["new-model", module, "--yes", "--repo", str(fork), "--date", "2026-11-27", *args])
        assert code == 0, module
        # new-model refuses a dirty tree: commit each model before the next.
        subprocess.run(["git", "add", "-A"], cwd=fork, check=True)
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", module],
            cwd=fork,
            check=True,
        )
    return fork
