#!/usr/bin/env bash
# One command: set up and run the whole test suite (what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export SCAFFOLD_CACHE_DIR="${SCAFFOLD_CACHE_DIR:-$PWD/.cache}"
# Type checking first (mypy, configured in pyproject.toml): a type error fails CI like a test.
.venv/bin/python -m mypy
exec .venv/bin/python -m pytest -n 2 "$@"
