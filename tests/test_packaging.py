"""The wheel carries templates/ and checks/ (symlinked into the package) and works without the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_runs_new_model_and_check_from_its_own_files(tmp_path: Path, fork: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "dist"), str(REPO_ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("transformers_scaffold-*.whl"))
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    assert (site / "transformers_scaffold/templates/model/copier.yml").is_file()
    assert (site / "transformers_scaffold/checks/__init__.py").is_file()
    env = {**os.environ, "PYTHONPATH": str(site)}
    probe = "import transformers_scaffold, pathlib; print(pathlib.Path(transformers_scaffold.__file__).resolve())"
    where = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(site.resolve())
    scaffold = [sys.executable, "-m", "transformers_scaffold"]
    made = subprocess.run(
        [*scaffold, "new-model", "acme", "--template", "decoder", "--yes", "--repo", str(fork)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    checked = subprocess.run(
        [*scaffold, "check", "--changed", "--repo", str(fork)], env=env, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
