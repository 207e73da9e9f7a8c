#!/usr/bin/env bash
# Runs every benchmark and writes the measured table into docs/PERFORMANCE.md:
#   concordat_bench     engine group commit vs raw batched SQLite inserts; replay and start-up
#   concordat_load_gen  HTTP commands and board reads at 64 keep-alive connections (loopback);
#                       commands carry time-ordered UUID Idempotency-Keys, as the web app sends them;
#                       also the board rendered right after a change, with no history and behind
#                       BOARD_HISTORY (default 400,000) incidents closed an hour before
#   concordat_ws_fanout WebSocket fan-out of /api/stream to 10,000 clients (delivery latency
#                       against the machine's floor for the same fan-out and against 100
#                       clients, nothing lost or repeated, server memory per connection);
#                       needs RLIMIT_NOFILE of about 10,300 per process (WS_CLIENTS to change)
#   concordat_bench     also: recommendation, best 5 of 10,000 units, grid vs full scan
#   repeat_demand_bench repeat demand over five years of London incidents vs the SQL an analyst
#                       would write (REPEAT_DEMAND_INCIDENTS, default 20,000,000; about 2.8 GB
#                       of scratch SQLite)
#   concordat_bench     start-up at 10 million events (STARTUP_INCIDENTS, default 2,000,000
#                       incidents of five events; about 12 minutes and 20 GB of scratch
#                       SQLite; STARTUP_INCIDENTS=0 leaves it out)
#   concordat simulate  SIM_DAYS of London demand (default 365: the goal's year itself, about
#                       a minute here) through the real engine with SIM_JOBS (default 2), set
#                       against the pace of a year in a minute; a shorter SIM_DAYS gives the year
#                       at its pace (which overstates it: a short run is more start-up and tail)
# Builds the "dev" preset first (or uses BUILD_DIR=<folder> as it is). Scratch databases go to
# CONCORDAT_BENCH_DIR (default: the system temporary folder; it must be a real disk, not tmpfs,
# or fsync costs nothing). Takes about a quarter of an hour on two cores (six minutes without the
# 10-million-event start-up); run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
# With -g, ccache also hashes the build folder unless told not to; without this, a fresh clone
# (or a second worktree) misses the cache for every object.
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"
BUILD_DIR="${BUILD_DIR:-}"
if [ -z "$BUILD_DIR" ]; then
  BUILD_DIR=build/dev
  cmake --preset dev >/dev/null
  cmake --build --preset dev --target concordat_bench concordat_load_gen repeat_demand_bench \
    concordat_ws_fanout concordat
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
loadavg="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "== load average before the run: $loadavg"

echo "== engine, raw SQLite, replay (Google Benchmark)"
"$BUILD_DIR/bench/concordat_bench" --benchmark_out="$out/bench.json" --benchmark_out_format=json

echo "== HTTP load (64 connections)"
"$BUILD_DIR/bench/concordat_load_gen" --connections 64 --seconds 5 --warmup 1 \
  --open-incidents 200 --json "$out/http.json"

echo "== the board rendered after a change, with no history and behind ${BOARD_HISTORY:=400000} closed incidents"
"$BUILD_DIR/bench/concordat_load_gen" --phases board_render --json "$out/render0.json"
"$BUILD_DIR/bench/concordat_load_gen" --phases board_render --history "$BOARD_HISTORY" \
  --json "$out/render.json"

echo "== WebSocket fan-out (${WS_CLIENTS:=10000} clients vs 100, and the machine's floor)"
# 2 events a second is twice London's busiest hour (the simulator's year: 0.72 events/s on
# average, x1.42 in the busiest hour of the busiest weekday); 674 bytes is a live event message
# as the clients receive it (670 bytes of JSON, mean_message_bytes, and the 4-byte frame header).
# Exit 1 means a goal of completeness failed; the table says which, so the report still runs.
"$BUILD_DIR/bench/concordat_ws_fanout" --clients "$WS_CLIENTS" --baseline 100 --events 60 \
  --rate 2 --floor-bytes 674 --json "$out/ws.json" ||
  echo "== ws_fanout: incomplete delivery (see the table)"

echo "== repeat demand (${REPEAT_DEMAND_INCIDENTS:=20000000} incidents)"
{
  echo "### Repeat demand at force scale (\`bench/repeat_demand_bench.cpp\`)"
  echo
  # Its progress lines become a code block; its Markdown table stays a table.
  "$BUILD_DIR/bench/repeat_demand_bench" --incidents "$REPEAT_DEMAND_INCIDENTS" \
    --dir "${CONCORDAT_BENCH_DIR:-${TMPDIR:-/tmp}}" | tee -a /dev/stderr |
    awk '/^\|/ {print; next} NF {print "    " $0}'
} > "$out/repeat.md"

startup_arg=()
if [ "${STARTUP_INCIDENTS:=2000000}" -gt 0 ]; then
  echo "== start-up at $((STARTUP_INCIDENTS * 5)) events ($STARTUP_INCIDENTS incidents)"
  CONCORDAT_REPLAY_INCIDENTS="$STARTUP_INCIDENTS" "$BUILD_DIR/bench/concordat_bench" \
    --benchmark_filter='StartupWithSnapshot' --benchmark_out="$out/startup.json" \
    --benchmark_out_format=json
  startup_arg=(--startup "$out/startup.json")
fi
echo "== simulation (${SIM_DAYS:=365} days, ${SIM_JOBS:=2} jobs)"
"$BUILD_DIR/concordat" simulate --days "$SIM_DAYS" --seed 1 --jobs "$SIM_JOBS" --bench \
  > "$out/sim.json"
cat "$out/sim.json"

ws_arg=()
if [ -s "$out/ws.json" ]; then ws_arg=(--ws "$out/ws.json"); fi
python3 bench/report.py --bench "$out/bench.json" --http "$out/http.json" \
  --extra "$out/repeat.md" --sim "$out/sim.json" "${ws_arg[@]}" "${startup_arg[@]}" \
  --board-render "$out/render0.json" "$out/render.json" \
  --doc docs/PERFORMANCE.md --loadavg "$loadavg"
echo "== docs/PERFORMANCE.md updated"
