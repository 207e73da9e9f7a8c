#!/usr/bin/env python3
"""Writes the measured table into docs/PERFORMANCE.md from one benchmark run.

Reads Google Benchmark's JSON (concordat_bench) and concordat_load_gen's JSON (and optionally
concordat_ws_fanout's, --ws, and `concordat simulate --bench`'s, --sim), computes the
ratios against the baselines measured in the same run, and replaces the text between the
<!-- bench:begin --> and <!-- bench:end --> markers. Standard library only; called by
scripts/bench.sh.
"""

import argparse
import datetime
import json
import os
import platform
import re
import subprocess

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def git_revision(repo):
    try:
        rev = subprocess.run(["git", "-C", repo, "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", repo, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return rev + (" with uncommitted changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def by_name(bench):
    out = {}
    for b in bench["benchmarks"]:
        if b.get("run_type", "iteration") != "iteration" or b.get("error_occurred"):
            continue
        # "BM_RawBatchedInsert/1024/iterations:3/real_time" -> "BM_RawBatchedInsert/1024"
        key = re.sub(r"/(iterations|real_time|manual_time).*$", "", b["name"])
        out[key] = b
    return out


def fmt_rate(x):
    return "{:,.0f}".format(x)


def verdict(ok):
    return "yes" if ok else "**no**"


def rows(bench, http):
    b = by_name(bench)
    out = []
    eng = b.get("BM_EngineGroupCommit/64/16")
    raw = b.get("BM_RawBatchedInsert/1024")
    if eng and raw:
        r = eng["items_per_second"] / raw["items_per_second"]
        out.append(("Durable commands/s through the engine, group commit (64 threads x 16 in "
                    "flight; mean batch {:.0f})".format(eng["mean_batch"]),
                    fmt_rate(eng["items_per_second"]) + "/s",
                    "raw batched SQLite inserts of the same rows, 1,024 per transaction: "
                    + fmt_rate(raw["items_per_second"]) + "/s",
                    "{:.2f}".format(r), ">= 0.5", verdict(r >= 0.5)))
    eng1 = b.get("BM_EngineGroupCommit/64/1")
    raw64 = b.get("BM_RawBatchedInsert/64")
    if eng1 and raw64:
        r = eng1["items_per_second"] / raw64["items_per_second"]
        out.append(("Same, 64 threads x 1 in flight (mean batch {:.0f})".format(eng1["mean_batch"]),
                    fmt_rate(eng1["items_per_second"]) + "/s",
                    "raw, 64 per transaction: " + fmt_rate(raw64["items_per_second"]) + "/s",
                    "{:.2f}".format(r), ">= 0.5", verdict(r >= 0.5)))
    onw = b.get("BM_EngineGroupCommitOnWriter/64/1")
    if eng1 and onw and "p50_ms" in eng1 and "p50_ms" in onw:
        # The completion thread (2026-11-28) against answering on the writer, in the same run.
        out.append(("Same, answers and subscribers on a completion thread (the default): "
                    "commands/s, p50 / p99 {:.2f} / {:.2f} ms".format(eng1["p50_ms"], eng1["p99_ms"]),
                    fmt_rate(eng1["items_per_second"]) + "/s",
                    "answered on the writer, as before: " + fmt_rate(onw["items_per_second"])
                    + "/s, p50 / p99 {:.2f} / {:.2f} ms".format(onw["p50_ms"], onw["p99_ms"]),
                    "{:.2f}".format(eng1["items_per_second"] / onw["items_per_second"]),
                    "-", "-"))
    floor = b.get("BM_RawGroupCommitLatency/64")
    for e, label in ((eng1, "64 threads x 1 in flight"), (eng, "64 threads x 16 in flight")):
        if e and "p99_ms" in e:
            baseline, ratio, met = "-", "-", verdict(e["p99_ms"] < 10)
            if e is eng:
                # Little's law: a closed loop with N in flight has a mean latency of N / rate.
                label += "; 1,024 in flight at this rate is a mean of {:.0f} ms by Little's law".format(
                    1024 / e["items_per_second"] * 1000)
            elif floor and floor.get("p99_ms", 0) > 0:
                # The same closed loop over raw group-committed inserts: this disk's floor.
                baseline = ("the floor: the same closed loop over raw inserts of the same rows, "
                            "group-committed by one thread, no engine, no checkpoint "
                            "(mean batch {:.0f}; p50 / p99 {:.2f} / {:.2f} ms)".format(
                                floor["mean_batch"], floor["p50_ms"], floor["p99_ms"]))
                ratio = "{:.2f} of the floor".format(e["p99_ms"] / floor["p99_ms"])
                if e["p99_ms"] >= 10 and floor["p99_ms"] >= 10:
                    met += " (the goal is below this machine's floor)"
            out.append(("Engine command latency, submit to durable answer, {} (p50 / p99)".format(
                            label),
                        "{:.2f} / {:.2f} ms".format(e["p50_ms"], e["p99_ms"]), baseline, ratio,
                        "p99 < 10 ms", met))
    full = b.get("BM_ReplayWholeLog")
    snap = b.get("BM_StartupWithSnapshot")
    if full:
        rate = full["items_per_second"]
        out.append(("Replay at start-up, whole log ({} real CAD events)".format(
                        fmt_rate(full["log_events"])),
                    fmt_rate(rate) + " events/s ({:.0f} ms)".format(full["real_time"]),
                    "-", "-", "10M events in < 10 s with snapshots",
                    "10M without snapshots: {:.0f} s".format(10_000_000 / rate)))
    if full and snap:
        r = snap["real_time"] / full["real_time"]
        out.append(("Start-up with a snapshot (state {:.1f} MB, tail of {} events; {:.1f}% of the "
                     "incidents mental-health contacts)".format(
                        snap["snapshot_bytes"] / 1e6, fmt_rate(snap["replayed"]),
                        snap.get("mh_percent", 100)),
                    "{:.0f} ms".format(snap["real_time"]),
                    "whole-log replay: {:.0f} ms".format(full["real_time"]),
                    "{:.2f}".format(r), "restore + tail faster than the whole replay (10M events: see text)",
                    verdict(r < 1)))
    ph = http.get("phases", {}) if http else {}
    conns = http.get("connections", 64) if http else 64
    cmd, health = ph.get("command"), ph.get("health")
    if cmd:
        keys = {"uuid7": "time-ordered UUID Idempotency-Keys (version 7), as the web app sends",
                "uuid4": "random UUID Idempotency-Keys (version 4)",
                "uuid": "random UUID Idempotency-Keys (version 4)",
                "sequential": "Idempotency-Keys in order"}.get(http.get("keys"), "")
        out.append(("HTTP commands/s, POST /api/incidents at {} connections ({}mean batch "
                    "{:.0f})".format(conns, keys + "; " if keys else "", cmd["mean_batch"]),
                    fmt_rate(cmd["rps"]) + "/s", "-", "-", "-", "-"))
        out.append(("HTTP command latency p50 / p99",
                    "{:.2f} / {:.2f} ms".format(cmd["p50_ms"], cmd["p99_ms"]), "-", "-",
                    "p99 < 10 ms", verdict(cmd["p99_ms"] < 10)))
    grid = b.get("BM_RecommendBest5Grid/10000")
    scan = b.get("BM_RecommendBest5Scan/10000")
    if grid and scan:
        us = grid["cpu_time"]
        out.append(("Recommendation, best 5 of 10,000 available units (grid index; CPU time)",
                    "{:.1f} us".format(us),
                    "scoring every unit: {:.0f} us".format(scan["cpu_time"]),
                    "{:.0f}x faster".format(scan["cpu_time"] / us), "< 20 us", verdict(us < 20)))
    shapes = http.get("board_shapes", {}) if http else {}
    for name, label in (("board", "demo state"), ("board_busy", "busier")):
        p = ph.get(name)
        shape = shapes.get(name)
        if shape:
            label += ": {} incidents, {} units, {:.0f} KB".format(
                shape["incidents"], shape["units"], shape["bytes"] / 1024)
            if "wire_bytes" in shape:
                label += " ({:.0f} KB gzip, as browsers ask)".format(shape["wire_bytes"] / 1024)
        if p and health:
            r = health["rps"] / p["rps"] if p["rps"] else float("inf")
            out.append(("GET /api/board, {} (p50 / p99 {:.2f} / {:.2f} ms)".format(
                            label, p["p50_ms"], p["p99_ms"]),
                        fmt_rate(p["rps"]) + " req/s",
                        "GET /api/health: {} req/s (p50 / p99 {:.2f} / {:.2f} ms)".format(
                            fmt_rate(health["rps"]), health["p50_ms"], health["p99_ms"]),
                        "{:.2f} (health/board)".format(r), "<= 3", verdict(r <= 3)))
    return out


def ws_rows(ws):
    """Rows from concordat_ws_fanout's JSON: fan-out at N clients against the baseline."""
    if not ws:
        return []
    phases = ws.get("phases", [])
    big = next((p for p in phases if p["clients"] == ws.get("clients")), None)
    base = next((p for p in phases if p["clients"] == ws.get("baseline_clients")), None)
    out = []
    floor = ws.get("floor") or None
    if big:
        complete = big["connected"] == big["clients"] and big["ok"]
        small = ("; {} clients: p99 {:.2f} ms".format(base["clients"], base["p99_ms"])
                 if base else "")
        if floor and floor.get("ok") and floor["p99_ms"] > 0:
            # The baseline is the machine's own floor for the same fan-out (see ws_fanout.cpp).
            baseline = ("the floor: plain write() of {} bytes to {:,} loopback sockets from {} "
                        "thread(s), read by one epoll loop: p99 {:.2f} ms (p50 {:.2f} ms)".format(
                            floor["bytes"], floor["clients"], floor["writers"], floor["p99_ms"],
                            floor["p50_ms"]))
            ratio = "{:.2f} of the floor".format(big["p99_ms"] / floor["p99_ms"])
        else:
            baseline = "{} clients: p99 {:.2f} ms (p50 {:.2f} ms)".format(
                base["clients"], base["p99_ms"], base["p50_ms"]) if base else "-"
            ratio = "{:.1f}".format(big["p99_ms"] / base["p99_ms"]) if base and base[
                "p99_ms"] > 0 else "-"
        met = complete and big["clients"] >= 10000 and big["p99_ms"] < 50
        verdict_text = verdict(met)
        if not met and floor and floor.get("ok") and floor["p99_ms"] >= 50:
            verdict_text += " (the goal is below this machine's floor)"
        out.append(("WebSocket fan-out, p99 commit-to-delivery at {:,} clients ({} of {:,} "
                    "connected; {} events at {:.1f}/s, {:.0f}-byte messages; p50 {:.2f} ms, "
                    "max {:.1f} ms{})".format(
                        big["clients"], "all" if big["connected"] == big["clients"]
                        else "{:,}".format(big["connected"]), big["clients"], big["events"],
                        big["achieved_rate"], big.get("mean_message_bytes", 0), big["p50_ms"],
                        big["max_ms"], small),
                    "{:.2f} ms".format(big["p99_ms"]), baseline, ratio,
                    "10,000 clients, p99 < 50 ms", verdict_text))
        out.append(("WebSocket deliveries at {:,} clients: delivered / expected (missing, "
                    "duplicates, out of order)".format(big["clients"]),
                    "{:,} / {:,} ({}, {}, {})".format(big["delivered"], big["expected"],
                                                      big["missing"], big["duplicates"],
                                                      big["out_of_order"]),
                    "-", "-", "nothing lost or repeated", verdict(big["ok"])))
        kb = big["kb_per_connection"]
        out.append(("Server memory per WebSocket connection (VmRSS of the server process, "
                    "{:.0f} MB before, {:.0f} MB with {:,} clients)".format(
                        big["rss_before_kb"] / 1024, big["rss_after_kb"] / 1024,
                        big["connected"]),
                    "{:.1f} KB".format(kb),
                    "{} clients: {:.1f} KB".format(base["clients"], base["kb_per_connection"])
                    if base else "-", "-", "<= 32 KB", verdict(complete and kb <= 32)))
    return out


YEAR_CONTACTS = 4_000_000  # DESIGN.md section 7: about 4 million contacts a year
YEAR_GOAL_S = 60.0
YEAR_EVENTS = 23_127_918  # the simulated year's events (PERFORMANCE.md, seed 1, session 16)


def hash_rows(b):
    """The hash chain's cost per event against plain SHA-256 of the same bytes: a floor under
    the simulated year's CPU time, since every event is hashed after the one before it. Then
    the same for a batch (the blocks before each link compressed together, sixteen lanes of
    AVX-512 where the CPU has them) against chaining the batch one event at a time, and
    verify's check of a batch against checking one event at a time."""
    rows = []
    ev, raw = b.get("BM_EventHash/170"), b.get("BM_Sha256Raw/170")
    if ev and raw:
        us = ev["cpu_time"] / 1000
        rows.append((
            "Hash chain: SHA-256 of one simulator-shaped event ({:.0f}-byte canonical form; "
            "CPU time)".format(ev["form_bytes"]),
            "{:.2f} us".format(us),
            "SHA-256 of the same bytes alone: {:.2f} us".format(raw["cpu_time"] / 1000),
            "{:.2f}".format(ev["cpu_time"] / raw["cpu_time"]), "-", "-"))
    batch, single = b.get("BM_ChainBatch"), b.get("BM_ChainOneByOne")
    if batch and single:
        per = 1e6 / batch["items_per_second"]
        floor_s = YEAR_EVENTS * per / 1e6
        rows.append((
            "Hash chain of a batch of 1,024 such events (payloads 40-310 bytes): per event",
            "{:.2f} us".format(per),
            "the same batch chained one event at a time: {:.2f} us".format(
                1e6 / single["items_per_second"]),
            "{:.2f}x faster".format(batch["items_per_second"] / single["items_per_second"]),
            "-",
            "the year's {:.1f} M events: {:.0f} s of CPU of the {:.0f} s two cores give in "
            "{:.0f} s".format(YEAR_EVENTS / 1e6, floor_s, 2 * YEAR_GOAL_S, YEAR_GOAL_S)))
    check, check1 = b.get("BM_CheckBatch"), b.get("BM_CheckOneByOne")
    if check and check1:
        rows.append((
            "`concordat verify`'s check of those events, a batch at a time: per event",
            "{:.2f} us".format(1e6 / check["items_per_second"]),
            "one event at a time: {:.2f} us".format(1e6 / check1["items_per_second"]),
            "{:.2f}x faster".format(check["items_per_second"] / check1["items_per_second"]),
            "-", "-"))
    return rows


def sim_rows(sim):
    """Rows from `concordat simulate --bench`: a period of London demand through the engine."""
    if not sim:
        return []
    wall = sim["wall_seconds"]
    rate = sim["contacts"] / wall if wall > 0 else 0.0
    goal_rate = YEAR_CONTACTS / YEAR_GOAL_S
    year_s = YEAR_CONTACTS / rate if rate > 0 else float("inf")
    measured_year = sim["days"] >= 365
    label = ("Simulation: {} days of London demand through the real engine ({:,} contacts, "
             "{:,} commands, {:,} events; {} job(s); peak RSS {:.0f} MB)".format(
                 sim["days"], sim["contacts"], sim["commands"], sim["events"], sim["jobs"],
                 sim["peak_rss_kb"] / 1024))
    measured = "{:.1f} s ({} contacts/s)".format(wall, fmt_rate(rate))
    baseline = "the goal's pace: {:,} contacts in {:.0f} s = {}/s".format(
        YEAR_CONTACTS, YEAR_GOAL_S, fmt_rate(goal_rate))
    met = verdict(year_s < YEAR_GOAL_S)
    if not measured_year:
        met += " (a year at this pace: {:.0f} s)".format(year_s)
    return [(label, measured, baseline, "{:.2f}".format(rate / goal_rate),
             "a year (about 4 million contacts) in < 60 s", met)]


def startup_rows(startup):
    """The design's start-up goal itself: a log of about 10 million events with its snapshot."""
    if not startup:
        return []
    s = by_name(startup).get("BM_StartupWithSnapshot")
    if not s:
        return []
    secs = s["real_time"] / 1000
    label = ("Start-up at {:.1f} million events: restore of a {:.2f} GB snapshot, then a tail of {} "
             "events ({:.1f}% of the incidents mental-health contacts)".format(
                 s["log_events"] / 1e6, s["snapshot_bytes"] / 1e9, fmt_rate(s["replayed"]),
                 s.get("mh_percent", 100)))
    out = [(label, "{:.1f} s".format(secs), "-", "-", "10M events in < 10 s with snapshots",
            verdict(secs < 10 and s["log_events"] >= 10_000_000))]
    if s.get("fork_ms"):
        same = "the same bytes" if s.get("background_same") else "**different bytes**"
        out.append((
            "Taking a snapshot of that state: the writer waits for the fork of the child that "
            "encodes it (the child's encoding and its bytes through the pipe: {:.0f} ms, {})".format(
                s.get("background_ms", 0), same),
            "{:.1f} ms".format(s["fork_ms"]),
            "encoding it on the writer, as before: {:.0f} ms".format(s["encode_ms"]),
            "{:.4f}".format(s["fork_ms"] / s["encode_ms"]) if s.get("encode_ms") else "-",
            "no stall of seconds (p99 < 10 ms)", "-"))
    return out


def board_render_rows(bare, history):
    """The board rendered right after a change, behind a long history of closed incidents, against
    the same with none (concordat_load_gen --phases board_render [--history N])."""
    if not bare or not history:
        return []
    b = bare.get("phases", {}).get("board_render")
    h = history.get("phases", {}).get("board_render")
    shape = history.get("board_shapes", {}).get("board_render", {})
    if not b or not h or not b["p50_ms"]:
        return []
    return [("GET /api/board rendered right after a change (p50 of 25; largest {:.1f} ms), "
             "{:,} incidents kept, {:,} of them closed an hour before (one in 50 with an ended "
             "s136 detention, one in 10 with an answered referral to the police); "
             "{} on the board".format(
                 h["p99_ms"], shape.get("incidents_kept", 0), history.get("history", 0),
                 shape.get("incidents", "?")),
             "{:.1f} ms".format(h["p50_ms"]),
             "the same with no history: {:.1f} ms (largest {:.1f} ms)".format(b["p50_ms"],
                                                                            b["p99_ms"]),
             "{:.2f}".format(h["p50_ms"] / b["p50_ms"]),
             "- (a render must not visit every incident kept)", "-")]


def render(bench, http, loadavg, repo, extras=(), ws=None, sim=None, startup=None,
           board_bare=None, board_history=None):
    ctx = bench.get("context", {})
    lines = [BEGIN, "",
             "Measured {} UTC on {} CPUs ({}), {}; load average before the run: {}; "
             "revision {}.".format(
                 datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M"), os.cpu_count(),
                 cpu_model(), platform.platform(terse=True), loadavg or "unknown",
                 git_revision(repo)),
             "Google Benchmark library build: {}.".format(ctx.get("library_build_type", "?")),
             "",
             "| Figure | Measured | Baseline (same run) | Ratio | Goal | Met |",
             "|---|---|---|---|---|---|"]
    for r in (rows(bench, http) + board_render_rows(board_bare, board_history) +
              startup_rows(startup) + ws_rows(ws) + sim_rows(sim) + hash_rows(by_name(bench))):
        lines.append("| " + " | ".join(str(c) for c in r) + " |")
    for path in extras:
        # Further benchmarks print their own Markdown (heading, table, notes).
        with open(path) as f:
            lines += ["", f.read().strip()]
    lines += ["", END]
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bench", required=True)
    p.add_argument("--http", required=True)
    p.add_argument("--doc", required=True)
    p.add_argument("--loadavg", default="")
    p.add_argument("--ws", default="", help="concordat_ws_fanout's JSON (optional)")
    p.add_argument("--sim", default="", help="`concordat simulate --bench` JSON (optional)")
    p.add_argument("--startup", default="",
                   help="concordat_bench's JSON of the 10-million-event start-up (optional)")
    p.add_argument("--board-render", nargs=2, default=None, metavar=("BARE", "HISTORY"),
                   help="concordat_load_gen's JSON of board_render without and with --history")
    p.add_argument("--extra", action="append", default=[],
                   help="a Markdown file to append inside the table block (repeatable)")
    args = p.parse_args()
    with open(args.bench) as f:
        bench = json.load(f)
    with open(args.http) as f:
        http = json.load(f)
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ws = None
    if args.ws:
        with open(args.ws) as f:
            ws = json.load(f)
    sim = None
    if args.sim:
        with open(args.sim) as f:
            sim = json.loads(f.read().strip().splitlines()[-1])
    startup = None
    if args.startup:
        with open(args.startup) as f:
            startup = json.load(f)
    board_bare = board_history = None
    if args.board_render:
        with open(args.board_render[0]) as f:
            board_bare = json.load(f)
        with open(args.board_render[1]) as f:
            board_history = json.load(f)
    table = render(bench, http, args.loadavg, repo, args.extra, ws, sim, startup, board_bare,
                   board_history)
    with open(args.doc) as f:
        doc = f.read()
    if BEGIN not in doc or END not in doc:
        raise SystemExit("report: %s has no %s ... %s markers" % (args.doc, BEGIN, END))
    head, rest = doc.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    with open(args.doc, "w") as f:
        f.write(head + table + tail)
    print(table)


if __name__ == "__main__":
    main()
