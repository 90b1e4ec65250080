"""Self-check of the harness and the log-processing workload against PROTOCOL.md.

    python3 Workloads/_harness/selfcheck.py [--python PY ...] [--quick]

For each interpreter: the calibration vectors (check_calibration.py), every log-processing
variant at 1 and 2 threads (protocol valid and in order, output verified, throughput printed),
a parser broken on purpose (must exit 3), bad arguments (exit 2), and a probe workload whose
prints must not reach the protocol stream and whose failures (worker, coordinator, prepare,
verify) must come back as `error` / exit codes. Exits 1 if any check failed.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
RUN = os.path.join(HERE, "run.py")
CHECK_CALIBRATION = os.path.join(HERE, "check_calibration.py")
LOG_PROCESSING = os.path.join(os.path.dirname(HERE), "log-processing")
VARIANTS = ["partitioned", "shared-lock", "pipeline"]

HELLO_FIELDS = {"protocol": int, "pid": int, "implementation": str, "python_version": str,
                "build": str, "gil_enabled": bool, "executable": str, "workload": str,
                "variant": str, "threads": int, "unit": str, "params": dict,
                "mapped_libraries": list, "pythonmalloc": str, "ld_preload": str}
SAMPLE_FIELDS = {"index": int, "warmup": bool, "batch": int, "ops": int, "wall_ns": int,
                 "per_thread_ops": list, "cpu_user_s": (int, float), "cpu_sys_s": (int, float),
                 "ctx_voluntary": int, "ctx_involuntary": int}
BYE_FIELDS = {"verified": bool, "checksum": str, "expected": str, "message": str,
              "max_rss_kib": int, "thread_cpus": list, "thread_allowed": list,
              "allocator_stats": dict}
ERROR_FIELDS = {"message": str, "traceback": str, "where": str}

PROBE_TOML = """\
name = "probe"
description = "Harness self-check probe."
question = "Does the harness keep its promises?"
unit = "ops"
[[variants]]
name = "ok"
question = "Prints everywhere; must still verify."
[[variants]]
name = "worker-raises"
question = "Worker 1 raises."
[[variants]]
name = "coordinator-raises"
question = "The coordinator raises while the workers wait on a queue forever."
[[variants]]
name = "prepare-raises"
question = "prepare() raises."
[[variants]]
name = "wrong"
question = "verify() reports a mismatch."
"""

PROBE_PY = """\
import queue

def create(variant, threads, params, seed):
    print("create: stdout from the workload")
    return Probe(variant)

class Probe:
    def __init__(self, variant):
        self.variant = variant
        if variant == "coordinator-raises":
            self.coordinator = self._coordinator
        self.stuck = queue.Queue()

    def prepare(self):
        print("prepare: stdout from the workload")
        if self.variant == "prepare-raises":
            raise RuntimeError("no input")

    def run(self, index, batch):
        print("run: stdout from the workload", index, batch)
        if self.variant == "worker-raises" and index == 1:
            raise ValueError("worker 1 broke")  # PROBE-WORKER-LINE
        if self.variant == "coordinator-raises":
            self.stuck.get()
        return batch

    def _coordinator(self, batch):
        raise KeyError("reader broke")  # PROBE-COORDINATOR-LINE

    def verify(self):
        print("verify: stdout from the workload")
        return self.variant != "wrong", "abc", "abc" if self.variant != "wrong" else "def"
"""


def run_harness(python, workload_dir, variant, threads, *extra):
    """Run the harness; returns (exit code, protocol lines, stderr)."""
    command = [python, "-X", "faulthandler", RUN, "--workload-dir", workload_dir,
               "--variant", variant, "--threads", str(threads), *extra]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    return done.returncode, done.stdout.splitlines(), done.stderr


def check_stream(lines, samples, warmups, calibrated):
    """Validate a complete successful stream; returns (hello, measured samples, bye)."""
    messages = [json.loads(line) for line in lines]  # every line must be JSON
    kinds = [m.get("type") for m in messages]
    assert kinds[0] == "hello" and kinds[-1] == "bye", kinds
    assert set(kinds[1:-1]) == {"sample"}, kinds
    for message, fields in [(messages[0], HELLO_FIELDS), (messages[-1], BYE_FIELDS)] + [
            (m, SAMPLE_FIELDS) for m in messages[1:-1]]:
        for field, kind in fields.items():
            assert isinstance(message.get(field), kind), (field, message)
    sample_msgs = messages[1:-1]
    assert [m["index"] for m in sample_msgs] == list(range(len(sample_msgs)))
    flags = [m["warmup"] for m in sample_msgs]
    measured = [m for m in sample_msgs if not m["warmup"]]
    assert flags == sorted(flags, reverse=True), "warmups must come first"
    assert len(measured) == samples, len(measured)
    assert len(sample_msgs) - len(measured) >= (max(warmups, 1) if calibrated else warmups)
    for m in sample_msgs:
        assert sum(m["per_thread_ops"]) == m["ops"] and m["wall_ns"] > 0
    assert len({m["batch"] for m in measured}) == 1
    return messages[0], measured, messages[-1]


class Checker:
    def __init__(self):
        self.failures = 0

    def check(self, label, func):
        try:
            detail = func()
        except Exception as exc:
            self.failures += 1
            print(f"  FAIL {label}: {type(exc).__name__}: {exc}")
        else:
            print(f"  ok   {label}" + (f" — {detail}" if detail else ""))


def check_python(python, checker, quick):
    print(f"== {python}")
    table = {}

    def calibration():
        done = subprocess.run([python, CHECK_CALIBRATION], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        return done.stdout.strip().splitlines()[-1]

    checker.check("calibration vectors", calibration)

    def variant_run(variant, threads):
        def check():
            code, lines, stderr = run_harness(python, LOG_PROCESSING, variant, threads,
                                              "--samples", "3", "--warmups", "1")
            assert code == 0, (code, stderr[-2000:])
            hello, measured, bye = check_stream(lines, 3, 1, calibrated=True)
            assert bye["verified"] and bye["checksum"] == bye["expected"], bye
            assert len(bye["thread_cpus"]) == threads == len(bye["thread_allowed"])
            rates = sorted(m["ops"] / m["wall_ns"] * 1e9 for m in measured)
            table["build"] = f"{hello['python_version']} {hello['build']}, " \
                             f"gil_enabled={hello['gil_enabled']}"
            median = table[variant, threads] = rates[len(rates) // 2]
            return f"median {median / 1e3:.0f} k lines/s, thread_cpus {bye['thread_cpus']}"
        return check

    for variant in VARIANTS:
        for threads in (1, 2):
            checker.check(f"{variant} x{threads}", variant_run(variant, threads))
    if table.get("build"):
        print(f"  build: {table['build']}")

    with tempfile.TemporaryDirectory() as tmp:
        broken = os.path.join(tmp, "broken")
        shutil.copytree(LOG_PROCESSING, broken, ignore=shutil.ignore_patterns("__pycache__"))
        path = os.path.join(broken, "workload.py")
        with open(path) as f:
            source = f.read()
        wrong = source.replace(r'''(?P<path>[^\s?"]+)''', r'''(?P<path>[^\s"]+)''')
        assert wrong != source, "the parser line to break was not found"
        with open(path, "w") as f:
            f.write(wrong)  # the query string now stays in the path: fast and wrong

        def broken_parser(variant):
            def check():
                code, lines, _ = run_harness(python, broken, variant, 2, "--samples", "1",
                                             "--warmups", "0", "--batch", "3000")
                bye = json.loads(lines[-1])
                assert code == 3 and bye["type"] == "bye" and not bye["verified"], (code, bye)
                return f"exit 3, {bye['checksum'][:12]} != {bye['expected'][:12]}"
            return check

        for variant in VARIANTS if not quick else VARIANTS[:1]:
            checker.check(f"broken parser fails ({variant})", broken_parser(variant))

        probe = os.path.join(tmp, "probe")
        os.mkdir(probe)
        for name, text in [("workload.toml", PROBE_TOML), ("workload.py", PROBE_PY)]:
            with open(os.path.join(probe, name), "w") as f:
                f.write(text)
        probe_lines = PROBE_PY.splitlines()

        def line_of(marker):
            return next(i for i, line in enumerate(probe_lines, 1) if marker in line)

        def usage(args, expect):
            def check():
                code, lines, stderr = run_harness(python, *args)
                error = json.loads(lines[-1]) if lines else {}
                assert code == 2 and len(lines) == 1 and error.get("type") == "error", (code, lines)
                assert expect in stderr and expect in error["message"], stderr
                return error["message"][:90]
            return check

        base = ["--samples", "1", "--warmups", "0"]
        checker.check("unknown variant exits 2",
                      usage([LOG_PROCESSING, "nope", 1, *base], "partitioned, shared-lock"))
        checker.check("unknown param exits 2",
                      usage([LOG_PROCESSING, "partitioned", 1, *base, "--param", "x=1"],
                            "params: lines, chunk"))
        checker.check("bad --threads exits 2",
                      usage([LOG_PROCESSING, "partitioned", 0, *base], "--threads"))
        checker.check("--cpus length mismatch exits 2",
                      usage([LOG_PROCESSING, "partitioned", 2, *base, "--cpus", "0"], "--cpus"))
        checker.check("missing --samples exits 2",
                      usage([LOG_PROCESSING, "partitioned", 1, "--warmups", "0"], "--samples"))

        def probe_ok():
            code, lines, stderr = run_harness(python, probe, "ok", 2, "--samples", "2",
                                              "--warmups", "1", "--batch", "3")
            assert code == 0, (code, stderr)
            check_stream(lines, 2, 1, calibrated=False)
            assert "run: stdout from the workload" in stderr, "prints belong on stderr"
            return "prints went to stderr only"

        def probe_error(variant, where):
            def check():
                code, lines, _ = run_harness(python, probe, variant, 2, "--samples", "2",
                                             "--warmups", "0", "--batch", "1")
                error = json.loads(lines[-1])
                assert code == 1 and error["type"] == "error", (code, lines)
                assert all(isinstance(error[k], t) for k, t in ERROR_FIELDS.items())
                assert error["where"] == where, error
                assert "Traceback" in error["traceback"]
                return f"{error['message']} at {error['where']}"
            return check

        def probe_wrong():
            code, lines, _ = run_harness(python, probe, "wrong", 1, "--samples", "1",
                                         "--warmups", "0", "--batch", "1")
            bye = json.loads(lines[-1])
            assert code == 3 and bye["verified"] is False and bye["message"], (code, bye)
            return "exit 3"

        checker.check("workload prints stay off the protocol", probe_ok)
        checker.check("exception in a worker",
                      probe_error("worker-raises", f"workload.py:{line_of('PROBE-WORKER')}"))
        checker.check("exception in the coordinator while workers block",
                      probe_error("coordinator-raises",
                                  f"workload.py:{line_of('PROBE-COORDINATOR')}"))
        checker.check("exception in prepare",
                      probe_error("prepare-raises", f"workload.py:{line_of('no input')}"))
        checker.check("failed verification exits 3", probe_wrong)
    return table


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", action="append", default=[])
    parser.add_argument("--quick", action="store_true", help="break the parser in one variant")
    args = parser.parse_args()
    pythons = args.python or [sys.executable]
    checker = Checker()
    tables = {python: check_python(python, checker, args.quick) for python in pythons}

    print("\nthroughput, median of 3 samples, k lines/s (1 thread -> 2 threads)")
    for python, table in tables.items():
        print(f"  {python} ({table.get('build', '?')})")
        for variant in VARIANTS:
            one, two = table.get((variant, 1)), table.get((variant, 2))
            if one and two:
                print(f"    {variant:12} {one / 1e3:7.0f} -> {two / 1e3:7.0f}  x{two / one:.2f}")
    print("all checks passed" if not checker.failures else f"{checker.failures} check(s) FAILED")
    return 1 if checker.failures else 0


if __name__ == "__main__":
    sys.exit(main())
