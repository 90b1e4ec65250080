"""ftlab's test collection for a project's suite (`ftlab project`): what pytest collects, as JSON.

Run by ftlab with the project's venv python, from the project's snapshot folder:

    python collect.py --out FILE.json [--] [PYTEST ARGUMENTS...]

It runs pytest's own collection (`--collect-only`, the project's configuration applies) with
pytest-run-parallel loaded at 2 threads, so that its markers (`thread_unsafe`,
`parallel_threads(1)`, ...), its thread-unsafe fixtures and its own detection decide which tests
run at one thread only, with its reason. It writes:

    {"pytest": VERSION, "exit_code": N, "output": LAST LINES,
     "tests": [{"nodeid", "kind": "function"|"unittest", "thread_unsafe": REASON|null}],
     "unsupported": [{"nodeid", "reason"}], "skipped": [{"nodeid", "reason"}],
     "errors": [{"nodeid", "message"}], "gil_enabled_by": [{"module", "distribution"}],
     "gil_enabled": BOOL}

Standard library and pytest only; the project's own pytest configuration applies.
"""

import argparse
import contextlib
import importlib.metadata
import importlib.util
import inspect
import io
import json
import os
import sys

GIL_WARNING = "The global interpreter lock (GIL) has been enabled to load module "


def distribution_of(module):
    """The installed distribution that provides top-level `module`'s package, or ""."""
    top = module.split(".")[0]
    try:
        names = importlib.metadata.packages_distributions().get(top, [])
    except Exception:  # noqa: BLE001 - metadata of a broken install must not stop collection
        names = []
    return names[0] if names else ""


def gil_module(text):
    """The module named by CPython's GIL warning, or None."""
    if not text.startswith(GIL_WARNING):
        return None
    rest = text[len(GIL_WARNING):]
    return rest.split("'")[1] if "'" in rest else rest.split()[0]


class Collector:
    """A pytest plugin that records the collected items, the errors and the GIL warnings."""

    def __init__(self):
        self.tests = []
        self.unsupported = []
        self.skipped = []
        self.errors = []
        self.gil_modules = []

    def pytest_warning_recorded(self, warning_message, when, nodeid, location):
        name = gil_module(str(warning_message.message))
        if name and name not in self.gil_modules:
            self.gil_modules.append(name)

    def pytest_collectreport(self, report):
        if report.failed:
            text = str(report.longrepr)
            self.errors.append({"nodeid": report.nodeid or ".", "message": last_lines(text, 12)})

    def pytest_collection_finish(self, session):
        import _pytest.python
        import _pytest.unittest
        plugin = session.config.pluginmanager.get_plugin("_run-parallel")
        unsafe = getattr(plugin, "thread_unsafe", {}) if plugin else {}
        for item in session.items:
            reason = skip_reason(item)
            if reason is not None:
                self.skipped.append({"nodeid": item.nodeid, "reason": reason})
                continue
            if isinstance(item, _pytest.unittest.TestCaseFunction):
                kind = "unittest"
            elif isinstance(item, _pytest.python.Function):
                kind = "function"
                if inspect.iscoroutinefunction(item.obj) or inspect.isasyncgenfunction(item.obj):
                    self.unsupported.append({"nodeid": item.nodeid, "reason": "an async test (its event loop is a plugin's)"})
                    continue
            else:
                self.unsupported.append({"nodeid": item.nodeid,
                                         "reason": f"a {type(item).__name__} item, not a test function"})
                continue
            reason = unsafe.get(item.nodeid)
            if reason is None and plugin is None:
                reason = own_thread_unsafe_reason(item)
            self.tests.append({"nodeid": item.nodeid, "kind": kind, "thread_unsafe": reason})


def skip_reason(item):
    """Why pytest would skip `item` (its skip/skipif marks), or None."""
    try:
        from _pytest.skipping import evaluate_skip_marks
        skipped = evaluate_skip_marks(item)
    except Exception:  # noqa: BLE001 - a skipif that raises fails at run time, as in pytest
        return None
    return skipped.reason if skipped else None


def own_thread_unsafe_reason(item):
    """pytest-run-parallel's markers, read without it (it is not installed)."""
    marker = item.get_closest_marker("thread_unsafe")
    if marker is not None:
        return marker.kwargs.get("reason") or "uses the thread_unsafe marker"
    for name in ("parallel_threads", "parallel_threads_limit"):
        marker = item.get_closest_marker(name)
        if marker is not None and marker.args and marker.args[0] == 1:
            return "test is marked as single-threaded"
    return None


def last_lines(text, count):
    lines = [line for line in text.rstrip().splitlines()]
    return "\n".join(lines[-count:])


def main(argv):
    parser = argparse.ArgumentParser(prog="collect.py")
    parser.add_argument("--out", required=True)
    parser.add_argument("pytest_args", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    pytest_args = args.pytest_args[1:] if args.pytest_args[:1] == ["--"] else args.pytest_args
    import pytest

    collector = Collector()
    output = io.StringIO()
    extra = ["--collect-only", "-q", "-p", "no:cacheprovider"]
    if importlib.util.find_spec("pytest_run_parallel") is not None:
        # Its verdicts on thread safety at 2 threads; the GIL coming back is reported here, not
        # made a reason to stop collecting.
        extra += ["--parallel-threads=2", "--ignore-gil-enabled"]
    with contextlib.redirect_stdout(output):
        code = pytest.main(extra + pytest_args, plugins=[collector])
    is_gil_enabled = getattr(sys, "_is_gil_enabled", None)
    result = {
        "pytest": pytest.__version__, "exit_code": int(code), "output": last_lines(output.getvalue(), 25),
        "tests": collector.tests, "unsupported": collector.unsupported, "skipped": collector.skipped,
        "errors": collector.errors,
        "gil_enabled_by": [{"module": m, "distribution": distribution_of(m)} for m in collector.gil_modules],
        "gil_enabled": bool(is_gil_enabled()) if is_gil_enabled else True,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
