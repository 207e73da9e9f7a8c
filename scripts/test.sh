#!/usr/bin/env bash
# Installs what is needed, builds everything and runs every test: C++ unit and integration tests
# (CTest), the crash test, the web app's unit tests and the end-to-end tests in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh

echo "== C++ tests (ctest)"
ctest --preset dev

echo "== crash test"
python3 tests/crash/crash_test.py --bin build/dev/concordat

if [ -f web/package.json ]; then
  echo "== web unit tests"
  (cd web && npm test)
  echo "== end-to-end tests (headless Chromium)"
  (cd web && CONCORDAT_BIN="$PWD/../build/dev/concordat" npm run e2e)
fi
echo "== all tests passed"
