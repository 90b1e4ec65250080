"""Hostile workloads for ftlab's containment tests: each variant misbehaves in one way."""

import os
import signal
import subprocess
import sys
import time

# The signals CPython itself ignores at start-up (its children get them back as default).
PYTHON_IGNORES = (1 << (signal.SIGPIPE - 1)) | (1 << (signal.SIGXFSZ - 1))


def signal_masks(pid):
    """(SigBlk, SigIgn) of process `pid` as integers, from /proc/PID/status."""
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return int(fields["SigBlk"], 16), int(fields["SigIgn"], 16)


class Hostile:
    def __init__(self, variant, threads, params, seed):
        self.variant = variant
        self.done = 0
        self.problems = []

    def prepare(self):
        if self.variant in ("fork", "spin"):
            if os.fork() == 0:
                deadline = time.monotonic() + 600
                while time.monotonic() < deadline:
                    if self.variant == "fork":
                        time.sleep(1)
                os._exit(0)
        elif self.variant == "popen":
            self.children = [subprocess.Popen(["sleep", "600"]) for _ in range(3)]
        elif self.variant == "signals":
            self.check_signals()

    def check_signals(self):
        blocked, ignored = signal_masks(os.getpid())
        if blocked:
            self.problems.append(f"interpreter SigBlk={blocked:016x}")
        if ignored & ~PYTHON_IGNORES:
            self.problems.append(f"interpreter SigIgn={ignored:016x}")
        child = subprocess.Popen(["sleep", "60"])
        try:
            blocked, ignored = signal_masks(child.pid)
            if blocked or ignored:
                self.problems.append(f"child SigBlk={blocked:016x} SigIgn={ignored:016x}")
            child.terminate()
            try:
                code = child.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.problems.append("Popen.terminate() did not stop the child within 3 s")
            else:
                if code != -signal.SIGTERM:
                    self.problems.append(f"the child ended with {code}, not -SIGTERM")
        finally:
            child.kill()
            child.wait()

    def run(self, thread_index, batch):
        self.done += batch
        if self.variant == "flood":
            chunk = "x" * 1023 + "\n"
            for _ in range(8 * 1024):
                sys.stdout.write(chunk)
                sys.stderr.write(chunk)
            sys.stdout.flush()
            sys.stderr.flush()
        elif self.variant == "negative-ops":
            return -batch
        elif self.variant == "huge-ops":
            return 10**30
        return batch

    def verify(self):
        if self.variant == "huge-checksum":
            return False, "c" * 10_000_000, "e" * 10_000_000, "d" * 10_000_000
        if self.variant == "none-checksum":
            return True, None, None
        ok = not self.problems
        return ok, str(self.done), str(self.done), "; ".join(self.problems)


def create(variant, threads, params, seed):
    return Hostile(variant, threads, params, seed)
