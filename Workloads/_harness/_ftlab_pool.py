"""The worker threads of a batch workload: created once, each runs one batch per sample, all
released by one barrier (PROTOCOL.md, `sample`)."""

import os
import resource
import threading
import time

from _ftlab_proc import current_cpu, thread_times
from _ftlab_protocol import clip

# The most ops one run() call, or one sample, may report: every reader holds it exactly (a
# double's 53-bit mantissa, JSON numbers in any language).
MAX_OPS = 1 << 53


class Pool:
    """Persistent worker threads; each runs one batch per sample, all released by one barrier."""

    def __init__(self, instance, threads, cpus, on_failure):
        self.instance = instance
        self.thread_stats = False  # per-thread /proc accounting in every sample (--thread-stats)
        self.begin_sample = getattr(instance, "begin_sample", None)
        self.end_sample = getattr(instance, "end_sample", None)
        self.coordinator = getattr(instance, "coordinator", None)
        self.on_failure = on_failure
        self.start = threading.Barrier(threads + 1)
        self.done = threading.Barrier(threads + 1)
        self.batch = 0
        self.stopping = False
        self.ops = [0] * threads
        self.finish_ns = [0] * threads
        self.seen_cpus = [set() for _ in range(threads)]
        self.allowed_cpus = [[] for _ in range(threads)]
        self.threads = [
            threading.Thread(target=self._work, args=(i, cpus[i] if cpus else None),
                             name=f"ftlab-worker-{i}", daemon=True)
            for i in range(threads)
        ]
        for thread in self.threads:
            thread.start()

    def _work(self, index, cpu):
        try:
            if cpu is not None:
                try:
                    os.sched_setaffinity(0, {cpu})
                except OSError as exc:
                    raise OSError(exc.errno, f"cannot pin worker {index} to CPU {cpu}: "
                                             f"{exc.strerror}") from None
            self.allowed_cpus[index] = sorted(os.sched_getaffinity(0))
            native_id = threading.get_native_id()
            while True:
                self.start.wait()
                if self.stopping:
                    return
                ops = self.instance.run(index, self.batch)
                self.finish_ns[index] = time.perf_counter_ns()
                self.ops[index] = checked_ops(ops, index)
                self.seen_cpus[index].add(current_cpu(native_id))
                self.done.wait()
        except BaseException as exc:
            self.on_failure(exc)

    def sample(self, batch):
        """One batch on every worker: (wall_ns, per-thread ops, rusage before, rusage after,
        per-thread times or None)."""
        self.batch = batch
        if self.begin_sample:
            self.begin_sample(batch)
        times = self._times() if self.thread_stats else None
        before = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter_ns()
        self.start.wait()
        end = t0
        if self.coordinator:
            self.coordinator(batch)
            end = time.perf_counter_ns()
        self.done.wait()
        after = resource.getrusage(resource.RUSAGE_SELF)
        wall_ns = max(end, *self.finish_ns) - t0
        if not 0 < sum(self.ops) <= MAX_OPS:
            raise ValueError(f"run() returned {self.ops} ops on the worker threads (sum {sum(self.ops)}); "
                             f"a sample needs a total from 1 to 2**53")
        if times:
            times = self._stats(times, self._times())
        ops = list(self.ops)
        if self.end_sample:
            self.end_sample()
        return wall_ns, ops, before, after, times

    def _times(self):
        """(perf_counter_ns, [thread_times per worker]); the workers are parked meanwhile, so
        the time is taken before the reads (it ends the window of the second snapshot)."""
        return time.perf_counter_ns(), [thread_times(t.native_id) for t in self.threads]

    def _stats(self, start, end):
        """The `thread_stats` of a sample (PROTOCOL.md) from two `_times()` snapshots."""
        (t_start, first), (t_end, last) = start, end
        deltas = [[b - a for a, b in zip(x, y)] for x, y in zip(first, last)]
        return {"window_ns": t_end - t_start, "tids": [t.native_id for t in self.threads],
                "on_cpu_ns": [d[0] for d in deltas], "runnable_ns": [d[1] for d in deltas],
                "after_finish_ns": [max(0, t_end - f) for f in self.finish_ns],
                "ctx_voluntary": [d[2] for d in deltas],
                "ctx_involuntary": [d[3] for d in deltas]}

    def stop(self):
        self.stopping = True
        self.start.wait()
        for thread in self.threads:
            thread.join()


def checked_ops(ops, index):
    """`ops` when run() returned an int from 0 to MAX_OPS, else an error naming the value."""
    if not isinstance(ops, int) or isinstance(ops, bool):
        raise TypeError(f"run() on thread {index} returned {clip(repr(ops), 200)}; "
                        f"expected an int (the ops it completed, 0 to 2**53)")
    if not 0 <= ops <= MAX_OPS:
        raise ValueError(f"run() on thread {index} returned {clip(repr(ops), 200)}; "
                         f"expected the ops it completed, 0 to 2**53")
    return ops
