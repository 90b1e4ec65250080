"""ftscalingbench: CPython's own Tools/ftscalingbench/ftscalingbench.py, run by ftlab's harness.

The script is never copied into this repository: it is loaded at run time with importlib from
the file ftlab found (`ftlab list` shows which; `ftlab lab examples` fetches Debian's
python3.X-examples package that carries it). Every function the script registers with
`@register_benchmark` is a variant.

Run the ftscalingbench way: weak scaling, every worker thread calls the whole benchmark
function, `batch` times per sample; one op is one call. The script's own loop counts apply,
scaled by `scale` (the script's WORK_SCALE, 100 by default as in its --scale). Throughput at N
threads over throughput at 1 thread is the script's own "speedup" (T1 * N / TN).

Verification: the benchmarks that return a value return the same one on every call. prepare()
calls the function once on the main thread for a reference; every call on every thread must
return it, and for the benchmarks whose result has a closed form (CLOSED_FORMS) the reference
must equal it (computed here, apart from the script). The others return None on every call.
"""

import json
import os
import platform
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "_harness"))
import _ftlab_toolscript as toolscript  # noqa: E402

TOOL = "ftscalingbench"
MODULE_NAME = "_ftlab_ftscalingbench"
REGISTERED = re.compile(r"^[ \t]*@register_benchmark[ \t]*\n[ \t]*def[ \t]+(\w+)", re.MULTILINE)


def _object_cfunction(n):
    # tab starts as 100 ones; after call i (0-based) tab[50] is 1 while i < 49, then i - 49.
    return 49 + (n - 49) * (n - 50) // 2 if n >= 49 else n


# The value each benchmark returns at WORK_SCALE `scale`, derived from the script's loops.
CLOSED_FORMS = {
    "object_cfunction": lambda scale: _object_cfunction(1000 * scale),
    "generator": lambda scale: 100 * scale * sum(range(10)),
    "pymethod": lambda scale: 1000 * scale,
    "pyfunction": lambda scale: 1000 * scale,
    "module_function": lambda scale: 1000 * scale * (1000 * scale - 1),
    "load_string_const": lambda scale: 1000 * scale,
    "load_tuple_const": lambda scale: 1000 * scale,
}


def load(path):
    """Imports the script; refuses a file without ftscalingbench's ALL_BENCHMARKS registry."""
    module = toolscript.load(path, MODULE_NAME)
    if not isinstance(getattr(module, "ALL_BENCHMARKS", None), dict):
        raise RuntimeError(f"{path} defines no ALL_BENCHMARKS dict: not CPython's {TOOL}.py?")
    return module


def create(variant, threads, params, seed):
    """The workload object for benchmark `variant` of the located script."""
    path = toolscript.locate(TOOL)
    toolscript.check_digest(path, params)
    try:
        scale = int(params["scale"])
    except ValueError:
        scale = 0
    if scale < 1:
        raise ValueError(f"param 'scale' must be a whole number >= 1, not {params['scale']!r}")
    module = load(path)
    if variant not in module.ALL_BENCHMARKS:
        with open(path, encoding="utf-8") as f:
            defined = REGISTERED.findall(f.read())
        if variant in defined:
            raise RuntimeError(
                f"{variant} is not registered by {path} on CPython {platform.python_version()} "
                f"(the script registers it only where the API it needs exists)")
        raise ValueError(f"{path} has no benchmark {variant!r}; it registers: "
                         f"{', '.join(module.ALL_BENCHMARKS)}")
    module.WORK_SCALE = scale
    return Benchmark(variant, module.ALL_BENCHMARKS[variant], threads, scale)


class Benchmark:
    """One registered benchmark function, called `batch` times per sample on every thread."""

    def __init__(self, name, func, threads, scale):
        self.name = name
        self.func = func
        self.scale = scale
        self.reference = None
        self.calls = [0] * threads
        self.wrong = [None] * threads  # the first unexpected return value seen per thread

    def prepare(self):
        self.reference = self.func()

    def run(self, thread_index, batch):
        func, reference = self.func, self.reference
        for _ in range(batch):
            result = func()
            if result != reference and self.wrong[thread_index] is None:
                self.wrong[thread_index] = result
        self.calls[thread_index] += batch
        return batch

    def verify(self):
        calls = sum(self.calls)
        closed_form = CLOSED_FORMS.get(self.name)
        expected = repr(closed_form(self.scale)) if closed_form else repr(self.reference)
        checksum = repr(self.reference)
        wrong = [(i, value) for i, value in enumerate(self.wrong) if value is not None]
        if wrong:
            index, value = wrong[0]
            return (False, repr(value), expected,
                    f"{self.name}() returned {value!r} on thread {index}, {self.reference!r} on "
                    f"the main thread ({calls} calls)")
        if checksum != expected:
            return (False, checksum, expected,
                    f"{self.name}() at scale {self.scale} returned {checksum}, its loops give {expected}")
        return True, f"{checksum} x {calls} calls", f"{expected} x {calls} calls"


def registered(path):
    """What `ftlab run` probes per interpreter: the names the script defines (scanned) and
    the ones it registers on this interpreter (imported)."""
    with open(path, encoding="utf-8") as f:
        defined = REGISTERED.findall(f.read())
    return {"python_version": platform.python_version(), "defined": defined,
            "registered": list(load(path).ALL_BENCHMARKS)}


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "--registered":
        sys.exit(f"usage: {sys.argv[0]} --registered PATH/TO/{TOOL}.py")
    print(json.dumps(registered(sys.argv[2])))
