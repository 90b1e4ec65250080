"""lockbench: CPython's own Tools/lockbench/lockbench.py, run by ftlab's harness.

The script is never copied into this repository: it is loaded at run time from the file ftlab
found (`ftlab list` shows which; `ftlab lab examples` fetches Debian's python3.X-examples
package that carries it). Its benchmark is `_testinternalcapi.benchmark_locks`, which the
script imports: C code that starts N threads contending for one lock for a given time and
returns the acquisitions per second and each thread's count. CPython builds made with
`--disable-test-modules` lack `_testinternalcapi`; ftlab's lab builds have it.

The function has two editions, told apart by its signature:
- 3.13 and 3.14: benchmark_locks(num_threads, use_pymutex, critical_section_length, time_ms)
  -> (acquisitions per second, per-thread counts);
- 3.15: benchmark_locks(num_threads, work_inside, work_outside, time_ms, acquisitions,
  total_iters, num_locks, random_locks) -> (acquisitions per second, per-thread counts,
  elapsed ns); PyThread_type_lock is gone there.

One sample is one call; its batch is the call's `time_ms` (the harness calibrates it), and
its ops are the acquisitions. The C threads are not the harness's: the coordinator (the main
thread) binds itself to the CPUs of the configuration's worker threads while it calls, so the
C threads, which inherit its affinity, run on those CPUs (not one per CPU); each pinned worker
thread only waits for the call and reports one C thread's count.

Verification: every call returns one count per thread, a positive total, and a rate that
agrees with the counts and the time: total / rate (the benchmark's own elapsed time) lies
between time_ms and the wall time ftlab measured around the call (3.15 returns the elapsed
time itself, which must give the rate). Jain's fairness index (the script's jains_fairness)
over the per-thread counts is in the checksum, and each call's rate, fairness and counts go
to stderr (the process log).
"""

import inspect
import json
import os
import platform
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "_harness"))
import _ftlab_toolscript as toolscript  # noqa: E402

TOOL = "lockbench"
MODULE_NAME = "_ftlab_lockbench"
VARIANTS = ("pymutex", "pythread-lock")
NO_TESTINTERNALCAPI = (
    "this interpreter has no _testinternalcapi, which lockbench's benchmark_locks lives in "
    "(CPython built with --disable-test-modules); ftlab's lab builds keep it: rebuild with "
    "`ftlab lab pythons`")


def load(path):
    """Imports the script (which imports benchmark_locks from _testinternalcapi)."""
    try:
        module = toolscript.load(path, MODULE_NAME)
    except ImportError as error:
        if error.name != "_testinternalcapi":
            raise
        if isinstance(error, ModuleNotFoundError):
            raise RuntimeError(NO_TESTINTERNALCAPI) from None
        raise RuntimeError(f"CPython {platform.python_version()}'s _testinternalcapi has no "
                           f"benchmark_locks (it came with PyMutex in 3.13)") from None
    if not callable(getattr(module, "benchmark_locks", None)):
        raise RuntimeError(f"{path} has no benchmark_locks: not CPython's {TOOL}.py?")
    return module


def edition(benchmark_locks):
    """'3.13' (use_pymutex, critical_section_length) or '3.15' (work_inside, work_outside, ...)."""
    names = list(inspect.signature(benchmark_locks).parameters)
    if "use_pymutex" in names:
        return "3.13"
    if len(names) >= 8:
        return "3.15"
    raise RuntimeError(f"benchmark_locks{inspect.signature(benchmark_locks)}: a signature this "
                       f"workload does not know (it knows CPython 3.13-3.15's)")


def supported(edition_name):
    """The variants one edition of benchmark_locks can run."""
    return list(VARIANTS) if edition_name == "3.13" else ["pymutex"]


def whole(params, name, minimum):
    try:
        value = int(params[name])
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise ValueError(f"param '{name}' must be a whole number >= {minimum}, not {params[name]!r}")
    return value


def create(variant, threads, params, seed):
    """The workload object for `variant` on the located script."""
    if variant not in VARIANTS:
        raise ValueError(f"lockbench has no variant {variant!r}; it has: {', '.join(VARIANTS)}")
    work_inside, work_outside = whole(params, "work_inside", 1), whole(params, "work_outside", 0)
    path = toolscript.locate(TOOL)
    toolscript.check_digest(path, params)
    module = load(path)
    found = edition(module.benchmark_locks)
    if variant not in supported(found):
        raise RuntimeError(f"{variant} needs PyThread_type_lock in benchmark_locks, which CPython "
                           f"{platform.python_version()}'s dropped (3.13 and 3.14 have it)")
    if work_outside and found == "3.13":
        raise ValueError(f"param 'work_outside' must be 0 on CPython {platform.python_version()} "
                         f"(its benchmark_locks has no work outside the lock; 3.15's has)")
    return LockBench(module, found, variant, threads, work_inside, work_outside)


# The shortest benchmark_locks call, in ms (see LockBench.coordinator).
MIN_CALL_MS = 10


class LockBench:
    """benchmark_locks called once per sample by the coordinator; worker i reports C thread i."""

    def __init__(self, module, edition_name, variant, threads, work_inside, work_outside):
        self.benchmark_locks = module.benchmark_locks
        self.fairness_of = getattr(module, "jains_fairness", None)
        self.edition = edition_name
        self.variant = variant
        self.threads = threads
        self.work_inside, self.work_outside = work_inside, work_outside
        self.cpus = [None] * threads
        self.calls = 0
        self.acquisitions = 0
        self.fairness = []
        self.problem = None

    def prepare(self):
        self.arrived = threading.Barrier(self.threads + 1)
        self.counted = threading.Event()
        self.counts = [0] * self.threads

    def begin_sample(self, batch):
        self.counted.clear()

    def run(self, thread_index, batch):
        self.cpus[thread_index] = os.sched_getaffinity(0)
        self.arrived.wait()
        self.counted.wait()
        return self.counts[thread_index]

    def coordinator(self, batch):
        self.arrived.wait()
        cpus = set().union(*self.cpus)
        previous = os.sched_getaffinity(0)
        os.sched_setaffinity(0, cpus)
        # Calibration starts at 1 ms; on a busy machine the C threads may not run at all in so
        # short a call (seen: no acquisition in a 1 ms call at load 3 on 2 CPUs), so every call
        # lasts at least MIN_CALL_MS. A longer call than asked only makes calibration pick less.
        time_ms = max(batch, MIN_CALL_MS)
        try:
            start = time.perf_counter_ns()
            result = self.call(time_ms)
            wall_ns = time.perf_counter_ns() - start
        finally:
            os.sched_setaffinity(0, previous)
        self.record(result, time_ms, wall_ns)
        self.counted.set()

    def call(self, time_ms):
        if self.edition == "3.13":
            return self.benchmark_locks(self.threads, self.variant == "pymutex", self.work_inside, time_ms)
        return self.benchmark_locks(self.threads, self.work_inside, self.work_outside, time_ms, 1, 0, 1, False)

    def record(self, result, time_ms, wall_ns):
        rate, counts = result[0], list(result[1])
        total = sum(counts) if all(isinstance(c, int) and c >= 0 for c in counts) else -1
        self.calls += 1
        if len(counts) == self.threads and total > 0 and rate > 0:
            elapsed_ns = total / rate * 1e9 if self.edition == "3.13" else result[2]
            slack = 1e-6 * elapsed_ns + 1000
            if self.edition != "3.13" and abs(total / rate * 1e9 - elapsed_ns) > slack:
                self.note(f"call {self.calls}: rate {rate:.1f}/s and {total} acquisitions give "
                          f"{total / rate * 1e9:.0f} ns, but it reports {elapsed_ns} ns elapsed")
            elif not time_ms * 1e6 - slack <= elapsed_ns <= wall_ns + slack:
                self.note(f"call {self.calls}: rate {rate:.1f}/s over {total} acquisitions means "
                          f"{elapsed_ns:.0f} ns, outside [{time_ms} ms asked, {wall_ns} ns measured]")
        else:
            self.note(f"call {self.calls}: {len(counts)} counts for {self.threads} threads, "
                      f"total {total}, rate {rate!r}")
        self.counts = counts if len(counts) == self.threads and total >= 0 else [0] * self.threads
        self.acquisitions += max(total, 0)
        if total > 0:
            fairness = (self.fairness_of(counts) if self.fairness_of
                        else sum(counts) ** 2 / (len(counts) * sum(c * c for c in counts)))
            self.fairness.append(fairness)
            print(f"lockbench call {self.calls}: {time_ms} ms, {rate:.0f} acquisitions/s, "
                  f"Jain's fairness {fairness:.3f} over {counts}", file=sys.stderr, flush=True)

    def note(self, problem):
        if self.problem is None:
            self.problem = problem

    def verify(self):
        described = f"{self.acquisitions} acquisitions in {self.calls} calls, counts and rates agree"
        if self.problem:
            return False, self.problem, described, self.problem
        fairness = (f"; Jain's fairness {min(self.fairness):.2f}-{max(self.fairness):.2f}"
                    if self.fairness else "")
        return True, described + fairness, described + fairness


def registered(path):
    """What `ftlab run` probes per interpreter: the variants its benchmark_locks can run."""
    module = load(path)
    return {"python_version": platform.python_version(),
            "registered": supported(edition(module.benchmark_locks))}


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "--registered":
        sys.exit(f"usage: {sys.argv[0]} --registered PATH/TO/{TOOL}.py")
    try:
        print(json.dumps(registered(sys.argv[2])))
    except RuntimeError as error:
        sys.exit(f"RuntimeError: {error}")
