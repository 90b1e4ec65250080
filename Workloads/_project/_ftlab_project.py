"""ftlab's workload for one test of a project's suite (`ftlab project`): the test's body, run
by the harness's pinned worker threads in calibrated batches.

The generated workload folder's `workload.py` sets PROJECT_ROOT and imports this module. For
variant NODEID, create() starts pytest on that one test in a driver thread, with the project's
own configuration, from its snapshot folder. pytest collects it and sets up its fixtures as it
always does; when pytest reaches the test's call, the driver hands the body over to the harness
instead of calling it, and waits. The harness calls the body `batch` times per sample on every
worker thread. cleanup() lets pytest go on: teardown, then the session ends.

What a call is:
- a test function (or a test class's method): the function with the fixture values pytest set
  up, once per process, shared by the threads as pytest-run-parallel shares them; for each
  thread, pytest-run-parallel's `thread_index` and `num_parallel_threads` hold its index and the
  thread count, and `tmp_path`/`tmpdir` are a folder of the thread's own, emptied between calls.
- a `unittest.TestCase` method: a new instance of the case per call, run with its setUp and
  tearDown (setUpClass ran once, in pytest's setup).

Verification: every call on every thread must pass. prepare() makes one call alone on the main
thread first: a test that fails alone is a failed test, not a thread-safety finding. One op is
one call.
"""

import os
import shutil
import sys
import threading
import time
import traceback
import unittest
import warnings

PROJECT_ROOT = ""  # set by the generated workload.py
GIL_WARNING = "The global interpreter lock (GIL) has been enabled to load module "


def create(variant, threads, params, seed):
    """The body of test `variant` (a pytest node id), set up by pytest in a driver thread.

    When the harness runs several variants in this process (FTLAB_VARIANTS), one pytest session
    collects them all and hands them over in that order: collection and module fixtures are
    paid once per process."""
    global SESSION
    if not PROJECT_ROOT or not os.path.isdir(PROJECT_ROOT):
        raise RuntimeError(f"the project snapshot {PROJECT_ROOT!r} is gone; run `ftlab project` again")
    os.chdir(PROJECT_ROOT)
    if PROJECT_ROOT not in sys.path:
        sys.path.insert(0, PROJECT_ROOT)
    import json
    import shlex
    try:
        extra = shlex.split(params.get("pytest_options", ""))
    except ValueError as exc:
        raise ValueError(f"param 'pytest_options' is not a shell-quoted argument list: {exc}") from None
    wanted = json.loads(os.environ.get("FTLAB_VARIANTS", "null")) or [variant]
    if variant not in wanted:
        wanted = [variant]
    if SESSION is None or (SESSION.wanted, SESSION.threads, SESSION.extra) != (wanted, threads, extra):
        SESSION = Session(wanted, threads, extra)
        SESSION.start()
    return SESSION.test_for(variant)


SESSION = None


class Handover:
    """One test's way through the session: handed over at its call, released by the harness."""

    def __init__(self, test):
        self.test = test
        self.handed = threading.Event()
        self.release = threading.Event()
        self.failure = None  # pytest's report of a phase that failed before the call
        self.skipped = None


class Session:
    """Runs pytest on the wanted tests in a thread of its own and hands each test's call over."""

    def __init__(self, wanted, threads, extra):
        self.wanted = wanted
        self.threads = threads
        self.extra = extra
        # The test files, not the node ids: a node id pytest cannot find would stop the session
        # for all of them (exit code 4); tests are picked from what the files hold.
        files = [path for path in dict.fromkeys(nodeid.split("::")[0] for nodeid in wanted) if os.path.exists(path)]
        self.args = ["-q", "-p", "no:cacheprovider", "-s"] + extra + (files or list(dict.fromkeys(wanted)))
        self.states = {nodeid: Handover(ProjectTest(nodeid, threads, self)) for nodeid in wanted}
        self.collection_failures = []
        self.exit_code = None
        self.collected = False
        self.show = warnings.showwarning  # the harness's, which records GIL warnings
        self.gil_warnings = []
        self.thread = threading.Thread(target=self._main, name="ftlab-pytest", daemon=True)

    def start(self):
        self.thread.start()

    def _main(self):
        import pytest
        try:
            self.exit_code = pytest.main(self.args, plugins=[self])
        finally:
            for state in self.states.values():
                state.handed.set()

    def test_for(self, nodeid):
        """The test object of `nodeid`; tests before it that the harness skipped are let go."""
        for earlier in self.wanted[:self.wanted.index(nodeid)]:
            self.states[earlier].release.set()
        return self.states[nodeid].test

    # pytest hooks
    def pytest_collection_modifyitems(self, session, config, items):
        order = {nodeid: i for i, nodeid in enumerate(self.wanted)}
        chosen = {}
        for item in items:
            if item.nodeid in order and item.nodeid not in chosen:
                chosen[item.nodeid] = item
                item.runtest = (lambda item=item: self._hand_over(item))
        items[:] = sorted(chosen.values(), key=lambda item: order[item.nodeid])
        self.collected = True
        for nodeid, state in self.states.items():
            if nodeid not in chosen:
                state.handed.set()

    def pytest_warning_recorded(self, warning_message, when, nodeid, location):
        # Kept for the main thread: showing it here, inside pytest's catch_warnings, would record
        # it again (3.14t's context-aware warnings) while pytest iterates its records.
        if str(warning_message.message).startswith(GIL_WARNING):
            self.gil_warnings.append(warning_message)

    def pytest_runtest_logreport(self, report):
        state = self.states.get(report.nodeid)
        if state is None:
            return
        if report.when != "call" and report.failed and state.failure is None:
            state.failure = f"{report.when} failed: {last_lines(str(report.longrepr), 30)}"
            state.handed.set()
        if report.skipped and state.skipped is None:
            longrepr = report.longrepr
            state.skipped = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
            state.handed.set()

    def pytest_collectreport(self, report):
        if report.failed:
            self.collection_failures.append(f"{report.nodeid or '.'}: {last_lines(str(report.longrepr), 30)}")

    def _hand_over(self, item):
        state = self.states[item.nodeid]
        state.test.bind(item)
        state.handed.set()
        state.release.wait()

    def wait_handed(self, nodeid):
        """Waits until pytest reached the test's call; raises what stopped it before."""
        state = self.states[nodeid]
        state.handed.wait()
        while self.gil_warnings:
            w = self.gil_warnings.pop(0)
            self.show(w.message, w.category, w.filename, w.lineno)
        if state.test.call is not None:
            return
        if state.skipped:
            raise RuntimeError(f"pytest skipped {nodeid}: {state.skipped}")
        if state.failure:
            raise RuntimeError(f"{nodeid}: {state.failure}")
        if self.collection_failures:
            raise RuntimeError(f"pytest did not collect {nodeid}: {self.collection_failures[0]}")
        if not self.collected or state.test.call is None:
            raise RuntimeError(f"pytest did not collect {nodeid} (exit code {self.exit_code}); "
                               f"run `pytest --collect-only -q {nodeid}` in the project to see why")

    def finish(self, nodeid):
        self.states[nodeid].release.set()
        if nodeid == self.wanted[-1]:
            self.thread.join(timeout=60)


class ProjectTest:
    """The harness's workload object for one test."""

    def __init__(self, nodeid, threads, session):
        self.nodeid = nodeid
        self.threads = threads
        self.session = session
        self.call = None
        self.calls = [0] * threads
        self.failures = [None] * threads  # (call number, text) of each thread's first failure
        self.call_seconds = 0.0
        self.scratch = None

    def bind(self, item):
        """Builds the per-thread call for `item` (runs in the driver thread, after setup)."""
        import _pytest.unittest
        if isinstance(item, _pytest.unittest.TestCaseFunction):
            case_class, name = item.parent.obj, item.name
            self.call = lambda index: run_case(case_class, name)
            return
        function = item.obj
        names = item._fixtureinfo.argnames
        values = {name: item.funcargs[name] for name in names}
        per_thread = []
        for index in range(self.threads):
            kwargs = dict(values)
            if "thread_index" in kwargs:
                kwargs["thread_index"] = index
            if "num_parallel_threads" in kwargs:
                kwargs["num_parallel_threads"] = self.threads
            folders = []
            for key in ("tmp_path", "tmpdir"):
                if key in kwargs:
                    base = kwargs[key]
                    own = base / f"ftlab-thread-{index}" if key == "tmp_path" else base.join(f"ftlab-thread-{index}")
                    os.makedirs(str(own), exist_ok=True)
                    kwargs[key] = own
                    folders.append(str(own))
            per_thread.append((kwargs, folders))

        def call(index):
            kwargs, folders = per_thread[index]
            for folder in folders:
                empty(folder)
            function(**kwargs)

        self.call = call

    def prepare(self):
        self.session.wait_handed(self.nodeid)
        start = time.perf_counter()
        try:
            self.call(0)
        except BaseException as exc:
            raise AssertionError(f"{self.nodeid} fails alone (1 call, main thread), as pytest would report: "
                                 f"{describe(exc)}") from None
        self.call_seconds = time.perf_counter() - start

    def first_batch(self, target_s):
        """Calibration starts near half the target from the call prepare() timed: a test suite
        has hundreds of tests, and doubling from 1 costs each a dozen warmups."""
        return max(1, int(target_s / 2 / max(self.call_seconds, 1e-7)))

    def run(self, thread_index, batch):
        call = self.call
        done = self.calls[thread_index]
        for n in range(batch):
            try:
                call(thread_index)
            except BaseException as exc:  # noqa: BLE001 - a failed call is a finding, recorded
                if self.failures[thread_index] is None:
                    self.failures[thread_index] = (done + n + 1, describe(exc))
        self.calls[thread_index] += batch
        return batch

    def verify(self):
        calls = sum(self.calls)
        failed = [(i, f) for i, f in enumerate(self.failures) if f is not None]
        if not failed:
            return True, f"{calls} calls passed", f"{calls} calls passed"
        index, (number, text) = failed[0]
        where = "alone" if self.threads == 1 else f"while {self.threads} threads ran it at once"
        return (False, f"{len(failed)} of {self.threads} threads failed", f"{calls} calls passed",
                f"{self.nodeid} failed on thread {index} at its call {number} {where}: {text}")

    def cleanup(self):
        self.session.finish(self.nodeid)


def run_case(case_class, name):
    """One run of a unittest test method on a new instance: setUp, the test, tearDown."""
    result = unittest.TestResult()
    case_class(name).run(result)
    problems = result.errors + result.failures + [(t, "unexpected success") for t in result.unexpectedSuccesses]
    if problems:
        raise AssertionError(last_lines(problems[0][1], 20))
    if result.skipped:
        raise unittest.SkipTest(result.skipped[0][1])


def empty(folder):
    """Removes what a call left in `folder`."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)


def describe(exc):
    """The exception as pytest's short summary shows it, with the innermost frame."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" ({os.path.basename(frames[-1].filename)}:{frames[-1].lineno})" if frames else ""
    text = str(exc).strip() or type(exc).__name__
    return f"{type(exc).__name__}: {last_lines(text, 8)}{where}"


def last_lines(text, count):
    return "\n".join(text.rstrip().splitlines()[-count:])
