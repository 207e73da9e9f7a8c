#!/usr/bin/env bash
# The simulation benchmark (DESIGN.md §7: a year of London demand through the real engine in
# under a minute). Runs `concordat simulate --bench` and prints its one JSON line:
#   {"benchmark":"simulate","days":365,"contacts":...,"events":...,"wall_seconds":...,...}
# Usage: bash bench/simulate_bench.sh [DAYS] [SEED] [JOBS]   (BUILD_DIR=build/NAME to pick a build)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${BUILD_DIR:-build/dev}"
DAYS="${1:-365}"
SEED="${2:-1}"
JOBS="${3:-1}"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
exec "$BUILD_DIR/concordat" simulate --days "$DAYS" --seed "$SEED" --jobs "$JOBS" --bench
