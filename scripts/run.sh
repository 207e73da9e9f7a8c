#!/usr/bin/env bash
# Installs what is needed, builds the server and the web app, and starts Concordat with its
# embedded SQLite store (var/) and the London demo seed on http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
exec ./build/dev/concordat serve --demo --data "${CONCORDAT_DATA:-var}" "$@"
