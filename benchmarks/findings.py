"""The findings of a cold whole-tree `scaffold check`, one `code path line` a line, for diffing.

    python benchmarks/findings.py REPO OUT.txt [-- extra check options]

A speed change must leave this list as it was: run it before and after on the real fork and on
the 5.24 sdist tree and `diff` the two files. The repository's findings cache and ruff cache are
removed first (a cold run, as `benchmarks/check.py` times it); nothing else in REPO is touched.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path


def findings(repo: Path, extra: list[str]) -> list[tuple[str, str, int]]:
    shutil.rmtree(repo / ".cache" / "scaffold-check", ignore_errors=True)
    shutil.rmtree(repo / ".ruff_cache", ignore_errors=True)
    cmd = [sys.executable, "-m", "transformers_scaffold", "check", "--no-cache", "--format", "json", *extra]
    proc = subprocess.run(cmd, cwd=repo, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"scaffold check failed: {proc.stderr[-500:]}")
    data = json.loads(proc.stdout)
    items = data["findings"] if isinstance(data, dict) else data
    return sorted((f["code"], f["path"], int(f["line"])) for f in items)


def main() -> int:
    args = sys.argv[1:]
    extra = args[args.index("--") + 1 :] if "--" in args else []
    args = args[: args.index("--")] if "--" in args else args
    if len(args) != 2:
        raise SystemExit(__doc__)
    found = findings(Path(args[0]).resolve(), extra)
    Path(args[1]).write_text("".join(f"{code} {path} {line}\n" for code, path, line in found))
    print(f"{len(found)} findings -> {args[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
