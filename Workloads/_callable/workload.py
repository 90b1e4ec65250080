"""One function as a workload: `ftlab run --callable MODULE:FUNCTION [--callable-dir DIR]`.

Every worker thread calls the function, with no arguments, `batch` times per sample; one op is
one call. prepare() calls it once on the main thread (1 thread): that return value is what
every call on every thread must return (compared with `==`), unless `result_check=off`.
`precheck()` (ftlab's check before anything is measured, `run.py --check`) calls it twice at 1
thread: an exception, or two results that differ while the check is on, is a bad argument
(exit 2) with the exception's text.
"""

import importlib
import inspect
import os
import sys

RESULT_CHECK = ("on", "off")


def create(variant, threads, params, seed):
    return Callable(threads, params)


def resolve(spec, folder):
    """The callable `spec` (`module:attr.path`) names, imported with `folder` (else the current
    directory) first on sys.path; ValueError with what went wrong."""
    module_name, sep, attribute = spec.partition(":")
    if not sep or not module_name or not attribute:
        raise ValueError(f"--callable {spec!r}: expected MODULE:FUNCTION, e.g. statistics:fmean")
    if folder and not os.path.isdir(folder):
        raise ValueError(f"--callable-dir {folder!r} is not a folder")
    where = os.path.abspath(folder or os.getcwd())
    sys.path.insert(0, where)
    try:
        module = importlib.import_module(module_name)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise ValueError(f"--callable {spec}: module {module_name!r} does not import (from {where} and the "
                         f"interpreter's path): {type(exc).__name__}: {exc}") from None
    target = module
    for part in attribute.split("."):
        if not hasattr(target, part):
            owner = module_name if target is module else f"{module_name}:{attribute.rsplit('.', 1)[0]}"
            raise ValueError(f"--callable {spec}: {'module ' if target is module else ''}{owner} has no attribute {part!r}")
        target = getattr(target, part)
    if not callable(target):
        raise ValueError(f"--callable {spec}: {attribute} is not callable (a value of type {type(target).__name__}: "
                         f"{_short(repr(target))})")
    if inspect.iscoroutinefunction(target):
        raise ValueError(f"--callable {spec}: {attribute} is a coroutine function; ftlab calls plain functions "
                         f"(wrap it: def f(): return asyncio.run({attribute}()))")
    required = _required_parameters(target)
    if required:
        raise ValueError(f"--callable {spec}: {attribute}() takes required arguments ({', '.join(required)}); "
                         f"ftlab calls it with none: call it from a function of your own with the arguments "
                         f"(def work(): return {attribute.rsplit('.', 1)[-1]}(...)) and name that one")
    return target


def _required_parameters(target):
    """The parameters a call with no arguments would miss; empty when unknown (a builtin
    without a signature)."""
    try:
        signature = inspect.signature(target)
    except (TypeError, ValueError):
        return []
    return [p.name for p in signature.parameters.values()
            if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]


def _short(text, limit=200):
    return text if len(text) <= limit else text[:limit] + "..."


class Callable:
    def __init__(self, threads, params):
        self.spec = params["callable"]
        if not self.spec:
            raise ValueError("--param callable=MODULE:FUNCTION is empty; use ftlab run --callable MODULE:FUNCTION")
        if params["result_check"] not in RESULT_CHECK:
            raise ValueError(f"--param result_check={params['result_check']!r}: expected on or off")
        self.checking = params["result_check"] == "on"
        self.func = resolve(self.spec, params["callable_dir"])
        self.calls = [0] * threads
        self.wrong = [None] * threads  # per thread, (the first unexpected return value,) or None
        self.reference = None

    def call_once(self):
        """One call at 1 thread; ValueError with the exception it raised."""
        try:
            return self.func()
        except Exception as exc:
            raise ValueError(f"--callable {self.spec} raised at 1 thread: {type(exc).__name__}: {exc}") from None

    def precheck(self):
        """Two calls at 1 thread: both must return, and alike while the result is checked."""
        first, second = self.call_once(), self.call_once()
        if self.checking and not _same(first, second):
            raise ValueError(f"--callable {self.spec} returned {_short(repr(first))} then {_short(repr(second))} at "
                             f"1 thread: its result varies, so it cannot be the expected value at N threads; "
                             f"run it with --no-result-check (every row then says result_check=off)")

    def prepare(self):
        self.reference = self.call_once()

    def run(self, thread_index, batch):
        func = self.func
        if self.checking:
            reference = self.reference
            for _ in range(batch):
                result = func()
                if result is not reference and not result == reference and self.wrong[thread_index] is None:
                    self.wrong[thread_index] = (result,)
        else:
            for _ in range(batch):
                func()
        self.calls[thread_index] += batch
        return batch

    def verify(self):
        calls = sum(self.calls)
        if not self.checking:
            return True, f"{calls} calls, result not checked", f"{calls} calls, result not checked"
        expected = _short(repr(self.reference))
        for index, seen in enumerate(self.wrong):
            if seen is not None:
                value = seen[0]
                return (False, _short(repr(value)), expected,
                        f"{self.spec}() returned {_short(repr(value))} on thread {index}, {expected} at 1 thread "
                        f"({calls} calls)")
        return True, f"{expected} x {calls} calls", f"{expected} x {calls} calls"


def _same(a, b):
    """Whether two results are alike: `==`, and never an exception (a result whose `==` raises
    or does not give a truth value counts as different)."""
    try:
        return bool(a == b)
    except Exception:
        return False
