"""Breaks the pattern workloads on purpose: each verify() must catch every break.

    PYTHON pattern-verifiers.py WORKLOADS_DIR

Each case creates a variant, runs a few batches on every thread index (one after another,
as the harness would on threads: the verifier is what is under test), injects one fault and
calls verify(). A clean run of each must verify. Prints one line per case ("ok clean ..." or
"ok caught ..."), or "WRONG ..." when verify() judged it wrongly; exits 1 on any WRONG.
"""

import importlib.util
import os
import sys
import tempfile

THREADS = 2
QUEUE = __import__("queue")
wrong = 0


def load(directory, name):
    spec = importlib.util.spec_from_file_location(name.replace("-", "_"), os.path.join(directory, name, "workload.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(workload, samples=2, batch=50):
    workload.prepare()
    if hasattr(workload, "inbox"):  # the queue variant: unbounded, as the coordinator runs first here
        workload.inbox = QUEUE.Queue()
    for _ in range(samples):
        if hasattr(workload, "begin_sample"):
            workload.begin_sample(batch)
        if hasattr(workload, "coordinator"):
            workload.coordinator(batch)  # fills the queue first; the consumers then drain it
        for i in range(THREADS):
            workload.run(i, batch)
        if hasattr(workload, "end_sample"):
            workload.end_sample()


def judge(case, workload, broken):
    global wrong
    try:
        ok = workload.verify()[0]
    finally:
        if hasattr(workload, "cleanup"):
            workload.cleanup()
    if ok == (not broken):
        print(f"ok {'caught' if broken else 'clean'} {case}")
    else:
        wrong += 1
        print(f"WRONG {case}: verify() said {'ok' if ok else 'failed'}")


def main(directory):
    folder = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()

    # thread-state: a helper that reads another thread's context once.
    ts = load(directory, "thread-state")
    for variant in ("contextvar", "threading-local"):
        w = ts.create(variant, THREADS, {"reads": "4"}, 0)
        run(w)
        judge(f"thread-state/{variant}", w, False)
        w = ts.create(variant, THREADS, {"reads": "4"}, 0)
        real = w.helpers[0]
        calls = [0]

        def leaky(real=real):
            calls[0] += 1
            return real() + (1 if calls[0] == 7 else 0)  # helper 0 (factor 1) saw the next thread's id, once
        w.helpers[0] = leaky
        run(w)
        judge(f"thread-state/{variant}: one read saw another thread's context", w, True)

    # stdio: records torn, lost, repeated, or a stray byte, in the file of one sample.
    st = load(directory, "stdio")
    faults = {
        "a torn record": lambda data: data.replace(b"status=", b"stat\nus=", 1),
        "a lost record": lambda data: data[data.index(b"\n") + 1:],
        "a repeated record": lambda data: data + data[:data.index(b"\n") + 1],
        "a stray byte": lambda data: data + b"x",
    }
    for variant in ("print", "logging"):
        for target in ("file", "pipe"):
            params = {"target": target, "impl": "io", "dir": folder}
            w = st.create(variant, THREADS, params, 0)
            run(w)
            judge(f"stdio/{variant} target={target}", w, False)
        for name, fault in faults.items():
            w = st.create(variant, THREADS, {"target": "file", "impl": "_pyio", "dir": folder}, 0)
            check = w.check
            w.check = lambda data, check=check, fault=fault: check(fault(data))
            run(w)
            judge(f"stdio/{variant}: {name}", w, True)
    w = st.create("logging-disabled", THREADS, {"target": "file", "impl": "io", "dir": folder}, 0)
    run(w)
    judge("stdio/logging-disabled", w, False)
    w = st.create("logging-disabled", THREADS, {"target": "file", "impl": "io", "dir": folder}, 0)
    check = w.check
    w.check = lambda data: check(data + b"DEBUG x\n")
    run(w)
    judge("stdio/logging-disabled: a disabled call wrote a line", w, True)

    # handoff: an item consumed twice or never; a wrong answer from a partner.
    ho = load(directory, "handoff")
    params = {"size": "3", "slots": "2", "work": "5"}
    for variant in ("queue", "semaphore-pool", "asyncio-per-thread"):
        w = ho.create(variant, THREADS, params, 0)
        run(w)
        judge(f"handoff/{variant}", w, False)
    w = ho.create("queue", THREADS, params, 0)

    def lossy(batch, w=w):
        w.coordinator_real(batch)
        w.inbox.get()  # one handoff lost before any consumer saw it
    w.coordinator_real = w.coordinator
    w.coordinator = lossy
    run(w)
    judge("handoff/queue: a handoff lost", w, True)
    w = ho.create("queue", THREADS, params, 0)

    def twice(batch, w=w):
        w.coordinator_real(batch)
        items = [w.inbox.get() for _ in range(w.inbox.qsize())]
        for item in [items[0]] + items:  # the first handoff delivered twice
            w.inbox.put(item)
    w.coordinator_real = w.coordinator
    w.coordinator = twice
    run(w)
    judge("handoff/queue: a handoff consumed twice", w, True)
    w = ho.create("semaphore-pool", THREADS, params, 0)
    job = w.job
    w.job = lambda x, job=job: job(x) + (1 if x == 4 else 0)
    run(w)
    judge("handoff/semaphore-pool: one job answered wrongly", w, True)

    # shared-state: a draw lost, a count off, a cached value wrong.
    ss = load(directory, "shared-state")
    for variant in ("random-shared", "random-per-thread", "lru-cache", "dict-shared", "dict-per-thread"):
        w = ss.create(variant, THREADS, {"keys": "7"}, 3)
        run(w)
        judge(f"shared-state/{variant}", w, False)
    w = ss.create("random-shared", THREADS, {"keys": "7"}, 3)
    run(w)
    ss.random.random()  # a draw nobody counted: the threads' draws are no longer the first ones
    w.calls[0] += 1
    judge("shared-state/random-shared: a draw lost", w, True)
    w = ss.create("dict-shared", THREADS, {"keys": "7"}, 3)
    run(w)
    w.counts[3] += 1
    judge("shared-state/dict-shared: a lost update", w, True)
    w = ss.create("lru-cache", THREADS, {"keys": "7"}, 3)
    run(w)
    w.sums[1] += 1
    judge("shared-state/lru-cache: a wrong value returned", w, True)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
