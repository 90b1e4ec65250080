"""Breaks buffered-copy's copies on purpose: verify() must catch every break.

    PYTHON buffered-copy-verifier.py WORKLOAD_DIR

Each case runs a variant for a few samples (run() on every thread index, then end_sample(),
as the harness does, without threads: the verifier is what is under test) with one fault
injected: a copy loop that skips or repeats a chunk, a writer that tears or drops a record,
a reader that loses a record or slips off a record boundary. A clean run of each variant
must verify. Prints one line per case; exits 1 if any case came out wrong.
"""

import importlib.util
import os
import sys

PARAMS = {"file_size": "8K", "chunk_size": "256", "buffer_size": "1K", "dir": "/dev/shm"}
THREADS = 2
BATCH = 20  # chunks per thread per sample: a pass of 32 chunks ends in the second sample


def load(directory):
    spec = importlib.util.spec_from_file_location("buffered_copy", os.path.join(directory, "workload.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not os.path.isdir(PARAMS["dir"]):
        PARAMS["dir"] = module.tempfile.gettempdir()
    return module


class Faulty:
    """Wraps a reader or writer: `fault(method, *args)` replaces its call number `at`."""

    def __init__(self, inner, at, fault):
        self.inner, self.at, self.fault, self.calls = inner, at, fault, 0

    def _call(self, method, *args):
        self.calls += 1
        if self.calls == self.at:
            return self.fault(getattr(self.inner, method), *args)
        return getattr(self.inner, method)(*args)

    def read(self, *args):
        return self._call("read", *args)

    def write(self, *args):
        return self._call("write", *args)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def skip(read, n):
    read(n)
    return read(n)


def repeat_write(write, data):
    write(data)
    return write(data)


def tear(write, data):
    return write(data[: len(data) // 2])


def drop(write, data):
    return len(data)


def slip(read, n):
    return read(n - 8)


def run_case(module, variant, inject=None, patch=None):
    """(ok, detail) of verify() after three samples with the fault injected."""
    workload = module.create(variant, THREADS, dict(PARAMS), 7)
    saved = module.shutil.copyfileobj
    try:
        workload.prepare()
        if inject:
            inject(workload)
        if patch:
            module.shutil.copyfileobj = patch
        batch = 1 if variant == "copyfileobj" else BATCH
        for _ in range(3):
            for index in range(THREADS):
                workload.run(index, batch)
            if hasattr(workload, "end_sample"):
                workload.end_sample()
        result = workload.verify()
        return result[0], result[3] if len(result) > 3 else ""
    finally:
        module.shutil.copyfileobj = saved
        workload.cleanup()


def copyfileobj_skipping(src, dst, length):
    """shutil.copyfileobj that loses its second chunk."""
    first = src.read(length)
    src.read(length)
    dst.write(first)
    while chunk := src.read(length):
        dst.write(chunk)


def main(directory):
    module = load(directory)

    def on_chain(thread, side, fault, at):
        def inject(workload):
            chain = workload.chains[thread]
            setattr(chain, side, Faulty(getattr(chain, side), at, fault))
        return inject

    def on_writer(fault, at):
        def inject(workload):
            workload.writer = Faulty(workload.writer, at, fault)
        return inject

    def on_reader(fault, at):
        def inject(workload):
            workload.reader = Faulty(workload.reader, at, fault)
        return inject

    cases = [
        ("independent", "clean", True, {}),
        ("independent", "the copy loop skips a chunk", False,
         {"inject": on_chain(1, "reader", skip, 5)}),
        ("independent", "the copy loop repeats a chunk", False,
         {"inject": on_chain(0, "writer", repeat_write, 2)}),
        ("copyfileobj", "clean", True, {}),
        ("copyfileobj", "copyfileobj loses a chunk", False, {"patch": copyfileobj_skipping}),
        ("shared-writer", "clean", True, {}),
        ("shared-writer", "a record written twice", False, {"inject": on_writer(repeat_write, 7)}),
        ("shared-writer", "a torn record", False, {"inject": on_writer(tear, 30)}),
        ("shared-writer", "a record lost", False, {"inject": on_writer(drop, 50)}),
        ("shared-reader", "clean", True, {}),
        ("shared-reader", "a record never consumed", False, {"inject": on_reader(skip, 11)}),
        ("shared-reader", "a read off the record boundary", False, {"inject": on_reader(slip, 3)}),
    ]
    wrong = 0
    for variant, name, want, fault in cases:
        ok, detail = run_case(module, variant, **fault)
        good = ok == want
        wrong += not good
        verdict = "verified" if ok else f"caught: {detail}"
        print(f"{'ok' if good else 'WRONG'} {variant} / {name}: {verdict}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
