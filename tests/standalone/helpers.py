"""A fresh virtual environment that sees this environment's torch and transformers (a `.pth` file
pointing at our site-packages) but none of our installed or editable packages' code paths beyond
that: `pip install DIR` into it really installs the package."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path


def fresh_venv(path: Path) -> Path:
    """A new venv at `path`; returns its python. Our site-packages come in through a .pth file."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    python = path / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib).mkdir(parents=True, exist_ok=True)
    Path(purelib, "_scaffold_base.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python
