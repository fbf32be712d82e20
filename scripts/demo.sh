#!/usr/bin/env bash
# One command: set up, build a throwaway fork from the transformers sdist, scaffold a decoder and
# an encoder into it, run their generated tests, and print where everything is.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export SCAFFOLD_CACHE_DIR="${SCAFFOLD_CACHE_DIR:-$PWD/.cache}"
rm -rf out/demo
exec .venv/bin/scaffold demo --dir out/demo "$@"
