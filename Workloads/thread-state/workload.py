"""thread-state: a request's context read by the helpers that handle it.

One op is one request on one worker thread: the thread sets the request's context (its id),
calls `reads` helper functions that each read the context back and use it, then restores the
previous context. The context lives in one module-level object shared by every thread, as in
real code: a `contextvars.ContextVar` (`contextvar`) or a `threading.local` (`threading-local`).

Request k of thread i has the id k * threads + i (small for every thread, so no thread does
costlier integer arithmetic than another); helper j adds id * (j + 1) to the thread's total, so
a read that saw another thread's (or an older) context changes the total. verify() compares
every thread's total with its closed form.
"""

import contextvars
import threading

REQUEST = contextvars.ContextVar("request_id", default=-1)
LOCAL = threading.local()


def create(variant, threads, params, seed):
    """The workload object for `variant` (see workload.toml)."""
    variants = {"contextvar": ContextVarState, "threading-local": LocalState}
    if variant not in variants:
        raise ValueError(f"unknown variant {variant!r}")
    reads = params["reads"]
    if not reads.isdigit() or int(reads) < 1:
        raise ValueError(f"param 'reads' must be a positive integer, not {reads!r}")
    return variants[variant](threads, int(reads))


class ThreadState:
    def __init__(self, threads, reads):
        self.threads = threads
        self.helpers = [self.helper(j + 1) for j in range(reads)]
        self.totals = [0] * threads
        self.done = [0] * threads

    def prepare(self):
        pass

    def expected(self, i, n, weight):
        """weight * the sum of ids k * threads + i for k < n."""
        return weight * (self.threads * n * (n - 1) // 2 + i * n)

    def verify(self):
        weight = len(self.helpers) * (len(self.helpers) + 1) // 2
        problems = []
        for i in range(self.threads):
            n = self.done[i]
            if self.totals[i] != self.expected(i, n, weight):
                problems.append(f"thread {i}: total {self.totals[i]} after {n} requests, "
                                f"expected {self.expected(i, n, weight)}")
        got = str(sum(self.totals))
        want = str(sum(self.expected(i, n, weight) for i, n in enumerate(self.done)))
        return not problems, got, want, "; ".join(problems)


class ContextVarState(ThreadState):
    @staticmethod
    def helper(factor):
        get = REQUEST.get

        def use():
            return get() * factor
        return use

    def run(self, index, batch):
        set_, reset, helpers, threads = REQUEST.set, REQUEST.reset, self.helpers, self.threads
        first, total = self.done[index], 0
        for k in range(first, first + batch):
            token = set_(k * threads + index)
            for use in helpers:
                total += use()
            reset(token)
        self.totals[index] += total
        self.done[index] = first + batch
        return batch


class LocalState(ThreadState):
    @staticmethod
    def helper(factor):
        local = LOCAL

        def use():
            return local.request_id * factor
        return use

    def run(self, index, batch):
        local, helpers, threads = LOCAL, self.helpers, self.threads
        first, total = self.done[index], 0
        for k in range(first, first + batch):
            previous = getattr(local, "request_id", -1)
            local.request_id = k * threads + index
            for use in helpers:
                total += use()
            local.request_id = previous
        self.totals[index] += total
        self.done[index] = first + batch
        return batch
