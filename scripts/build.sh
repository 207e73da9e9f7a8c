#!/usr/bin/env bash
# Builds the C++ (CMake preset "dev": Ninja, ccache, warnings as errors) and the web app.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
# Relative paths in the cache key let separate build folders share compiled objects.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
# With -g, ccache also hashes the build folder unless told not to; without this, a fresh clone
# (or a second worktree) misses the cache for every object.
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"
cmake --preset dev >/dev/null
cmake --build --preset dev
if [ -f web/package.json ]; then
  (
    cd web
    # npm ci only when the lockfile changed since the last install.
    if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
      npm ci --no-audit --no-fund
    fi
    npm run build
  )
fi
