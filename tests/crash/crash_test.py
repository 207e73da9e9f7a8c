#!/usr/bin/env python3
"""Crash test: acknowledged commands survive SIGKILL.

Starts the real server on loopback with a fresh data folder, drives commands at it from several
threads (each with a unique Idempotency-Key), kills it with SIGKILL at a random moment mid-load,
restarts it on the same folder and checks that:
  - every command that had been acknowledged, resent with its key, is answered from the log
    (header Idempotent-Replayed: true) with the very same body;
  - /api/health log_seq covers every acknowledged command and the highest acknowledged seq;
  - `concordat verify` finds the hash chain whole (run on the file the kill left behind).
Repeats for several kill cycles, prints one summary line, exits 1 on any failure.

Standard library only. Talks only to the server it starts, on 127.0.0.1.

    python3 tests/crash/crash_test.py --bin build/dev/concordat
"""

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid

PASSWORD = "concordat-demo"


def command_advance_clock(seq_no):
    """The state change the test drives: (path, JSON body). Any always-succeeding command will do;
    switch to incident creation once incidents exist."""
    del seq_no
    return "/api/admin/clock/advance", {"seconds": 1}


COMMAND = command_advance_clock


class Failure(Exception):
    pass


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(conn, method, path, body=None, token=None, key=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    if key:
        headers["Idempotency-Key"] = key
    data = None if body is None else json.dumps(body)
    conn.request(method, path, body=data, headers=headers)
    resp = conn.getresponse()
    raw = resp.read().decode("utf-8", "replace")
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, raw


class Server:
    def __init__(self, binary, data_dir):
        self.binary = binary
        self.data_dir = data_dir
        self.proc = None
        self.port = None
        self.log_path = os.path.join(data_dir, "server.log")

    def start(self, timeout=20.0):
        self.port = free_port()
        log = open(self.log_path, "a")
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--virtual-clock", "--demo", "--data", self.data_dir,
             "--listen", "127.0.0.1:%d" % self.port],
            stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise Failure("server exited with %s at start-up; see %s"
                              % (self.proc.returncode, self.log_path))
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                status, _, body = request(conn, "GET", "/api/health")
                conn.close()
                if status == 200:
                    return json.loads(body)
            except OSError:
                pass
            time.sleep(0.05)
        raise Failure("server did not answer /api/health within %.0f s" % timeout)

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def drive(port, token, cycle, thread_no, stop, acked, in_doubt, lock, deadline):
    """Sends commands until `stop` is set; records each acknowledged key with its response."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    n = 0
    while not stop.is_set() and time.monotonic() < deadline:
        key = "crash-%d-%d-%d-%s" % (cycle, thread_no, n, uuid.uuid4().hex[:8])
        path, body = COMMAND(n)
        n += 1
        try:
            status, headers, raw = request(conn, "POST", path, body, token, key)
        except (OSError, http.client.HTTPException):
            with lock:
                in_doubt.append((key, path, body))
            return  # the server is gone
        with lock:
            if 200 <= status < 300:
                acked[key] = (path, body, status, raw)
            elif status >= 500:
                in_doubt.append((key, path, body))
    conn.close()


def resend_all(port, token, items, threads=8):
    """Resends (key, path, body) items concurrently; returns {key: (status, headers, raw)}."""
    results = {}
    lock = threading.Lock()
    chunks = [items[i::threads] for i in range(threads)]

    def worker(chunk):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for key, path, body in chunk:
            out = request(conn, "POST", path, body, token, key)
            with lock:
                results[key] = out
        conn.close()

    workers = [threading.Thread(target=worker, args=(c,)) for c in chunks]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=30)
    return results


def verify(binary, data_dir):
    out = subprocess.run([binary, "verify", "--data", data_dir], capture_output=True, text=True,
                         timeout=60)
    if out.returncode != 0:
        raise Failure("verify failed (%d): %s%s" % (out.returncode, out.stdout, out.stderr))
    return out.stdout.strip()


def login(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    status, _, raw = request(conn, "POST", "/api/auth/login",
                             {"username": "admin", "password": PASSWORD})
    conn.close()
    if status != 200:
        raise Failure("admin sign-in failed: %d %s" % (status, raw))
    return json.loads(raw)["token"]


def session_valid(port, token):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    status = request(conn, "GET", "/api/auth/me", token=token)[0]
    conn.close()
    return status == 200


def run(args):
    rng = random.Random(args.seed)
    data_dir = tempfile.mkdtemp(prefix="concordat-crash-")
    server = Server(os.path.abspath(args.bin), data_dir)
    total_acked = 0
    total_replayed = 0
    max_seq = 0
    started = time.monotonic()
    try:
        server.start()
        token = login(server.port)
        for cycle in range(1, args.cycles + 1):
            acked, in_doubt, lock, stop = {}, [], threading.Lock(), threading.Event()
            deadline = time.monotonic() + 8.0
            threads = [threading.Thread(target=drive, args=(server.port, token, cycle, t, stop,
                                                            acked, in_doubt, lock, deadline))
                       for t in range(args.threads)]
            for t in threads:
                t.start()
            time.sleep(rng.uniform(1.0, 3.0))
            server.kill()  # mid-load: threads are sending
            stop.set()
            for t in threads:
                t.join(timeout=15)
            if any(t.is_alive() for t in threads):
                raise Failure("cycle %d: a driver thread did not stop" % cycle)
            if not acked:
                raise Failure("cycle %d: no command was acknowledged before the kill" % cycle)
            verified = verify(server.binary, data_dir)  # the file exactly as the kill left it

            health = server.start()
            total_acked += len(acked)
            for _, _, _, raw in acked.values():
                seq = json.loads(raw).get("seq", 0)
                max_seq = max(max_seq, seq if isinstance(seq, int) else 0)
            if health["log_seq"] < total_acked or health["log_seq"] < max_seq:
                raise Failure("cycle %d: log_seq %d after restart, but %d commands were "
                              "acknowledged (highest seq %d)"
                              % (cycle, health["log_seq"], total_acked, max_seq))
            if not session_valid(server.port, token):  # sessions are stored: expect it kept
                raise Failure("cycle %d: the admin session did not survive the restart" % cycle)

            items = [(key, path, body) for key, (path, body, _, _) in acked.items()]
            results = resend_all(server.port, token, items)
            for key, (path, body, status, raw) in acked.items():
                if key not in results:
                    raise Failure("cycle %d: no answer to the resend of %s" % (cycle, key))
                r_status, r_headers, r_raw = results[key]
                if r_headers.get("idempotent-replayed") != "true":
                    raise Failure("cycle %d: acknowledged command %s was not in the log after "
                                  "the crash (status %d, body %s)" % (cycle, key, r_status, r_raw))
                if r_status != status or r_raw != raw:
                    raise Failure("cycle %d: %s replayed as %d %s, first answered %d %s"
                                  % (cycle, key, r_status, r_raw, status, raw))
            total_replayed += len(acked)
            # In-flight commands may or may not have committed; a resend must still succeed.
            for key, (r_status, _, r_raw) in resend_all(server.port, token, in_doubt).items():
                if not 200 <= r_status < 300:
                    raise Failure("cycle %d: in-flight command %s resent: %d %s"
                                  % (cycle, key, r_status, r_raw))
            print("cycle %d: %d acknowledged, %d in flight at the kill, log_seq %d; verify: %s"
                  % (cycle, len(acked), len(in_doubt), health["log_seq"], verified), flush=True)
        server.stop()
        final = verify(server.binary, data_dir)
        elapsed = time.monotonic() - started
        print("crash test PASSED: %d kill cycles, %d acknowledged commands all replayed "
              "identically after SIGKILL, verify %s (%.1f s)"
              % (args.cycles, total_replayed, final, elapsed))
        return 0
    except Failure as e:
        print("crash test FAILED: %s" % e, file=sys.stderr)
        try:
            with open(server.log_path) as f:
                tail = f.read()[-3000:]
            print("--- server log (tail) ---\n" + tail, file=sys.stderr)
        except OSError:
            pass
        return 1
    finally:
        server.kill()
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            print("data kept in " + data_dir)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--bin", default="build/dev/concordat", help="the concordat executable")
    p.add_argument("--cycles", type=int, default=3, help="kill-and-restart cycles")
    p.add_argument("--threads", type=int, default=8, help="client threads sending commands")
    p.add_argument("--seed", type=int, default=None, help="random seed for the kill moments")
    p.add_argument("--keep", action="store_true", help="keep the data folder")
    args = p.parse_args()
    if not os.access(args.bin, os.X_OK):
        print("crash test: no executable at %s (build first)" % args.bin, file=sys.stderr)
        return 2
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
