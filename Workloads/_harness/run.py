"""ftlab harness: runs one workload variant on persistent worker threads (see PROTOCOL.md).

Standard library only; CPython 3.10+ (3.11+ when started by hand: reading workload.toml needs
tomllib), GIL and free-threaded builds, Linux.
"""

import argparse
import importlib.util
import json
import os
import platform
import resource
import sys
import sysconfig
import threading
import time
import traceback
import warnings

from _ftlab_manifest import ENVIRONMENT_KEY, manifest_from_json, read_manifest
from _ftlab_proc import allocator_stats, current_cpu, mapped_libraries, peak_rss_kib, thread_times
from _ftlab_server import serve

PROTOCOL_VERSION = 1
FIRST_CALIBRATION_BATCH = 1
MAX_CALIBRATION_BATCH = 1 << 48
# The most ops one run() call, or one sample, may report: every reader holds it exactly (a
# double's 53-bit mantissa, JSON numbers in any language).
MAX_OPS = 1 << 53
# The most characters of a checksum, expected value or message sent in a `bye` or `error`; a
# longer text keeps its start and end around a marked cut (see `clip`).
MAX_TEXT = 1024


class UsageError(Exception):
    """Bad arguments: reported with exit status 2."""


class Channel:
    """The protocol stream: a duplicate of the original stdout, one JSON object per line.

    fd 1 is pointed at stderr so that nothing else can write to the protocol stream.
    """

    def __init__(self):
        self.fd = os.dup(1)
        os.dup2(2, 1)
        self.lock = threading.Lock()
        self.closed = False

    def send(self, message):
        """Write one message; a no-op once an error has been sent."""
        with self.lock:
            self._write(message)

    def fail(self, exc, where, exit_code=1, before_exit=None):
        """Send an `error` for `exc`, call `before_exit` and end the process at once, from
        any thread.

        Only the first failure is reported; a later one only returns.
        """
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        with self.lock:
            if self.closed:
                return
            self._write({"type": "error", "message": clip(f"{type(exc).__name__}: {exc}", 4 * MAX_TEXT),
                         "traceback": clip(text, 64 * MAX_TEXT), "where": where})
            self.closed = True
        sys.stderr.write(text)
        sys.stderr.flush()
        if before_exit:
            before_exit()
        os._exit(exit_code)

    def _write(self, message):
        if self.closed:
            return
        data = memoryview((json.dumps(message, separators=(",", ":")) + "\n").encode())
        while data:
            data = data[os.write(self.fd, data) :]


class ArgumentParser(argparse.ArgumentParser):
    """argparse that raises UsageError instead of exiting."""

    def error(self, message):
        raise UsageError(message)


def parse_args(argv):
    """Parse and check the command line (PROTOCOL.md); UsageError on anything wrong."""
    parser = ArgumentParser(prog="run.py", description="ftlab workload harness")
    parser.add_argument("--workload-dir", required=True)
    parser.add_argument("--variant", required=True, action="append",
                        help="repeatable: several run one after another in this process (see PROTOCOL.md)")
    parser.add_argument("--threads", required=True, type=int)
    parser.add_argument("--samples", required=True, type=int)
    parser.add_argument("--warmups", required=True, type=int)
    sizing = parser.add_mutually_exclusive_group()
    sizing.add_argument("--batch", type=int)
    sizing.add_argument("--target-seconds", type=float, default=0.25)
    parser.add_argument("--param", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--cpus", default="")
    parser.add_argument("--thread-stats", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)

    if args.threads < 1:
        raise UsageError("--threads must be at least 1")
    if args.samples < 1:
        raise UsageError("--samples must be at least 1")
    if args.warmups < 0:
        raise UsageError("--warmups must not be negative")
    if args.batch is not None and args.batch < 1:
        raise UsageError("--batch must be at least 1")
    if not args.target_seconds > 0:
        raise UsageError("--target-seconds must be positive")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be 0 (any free port) or a port number, not {args.port}")
    try:
        args.cpus = [int(cpu) for cpu in args.cpus.split(",")] if args.cpus.strip() else []
    except ValueError:
        raise UsageError(f"--cpus must be a comma-separated list of CPU ids, not {args.cpus!r}")
    if args.cpus and (len(args.cpus) != args.threads or min(args.cpus) < 0):
        raise UsageError(f"--cpus needs one CPU id (>= 0) per thread: {args.threads} expected")
    overrides = {}
    for item in args.param:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--param expects KEY=VALUE, not {item!r}")
        overrides[key] = value
    args.param = overrides
    return args


def load_workload(directory, args, variant):
    """Take the manifest (FTLAB_MANIFEST_JSON from ftlab, else workload.toml), check `variant` and
    params, import workload.py and create the instance."""
    given = os.environ.get(ENVIRONMENT_KEY)
    manifest_path = os.path.join(directory, "workload.toml")
    module_path = os.path.join(directory, "workload.py")
    for path in (module_path,) if given is not None else (manifest_path, module_path):
        if not os.path.isfile(path):
            raise UsageError(f"--workload-dir {directory!r} has no {os.path.basename(path)}")
    manifest = manifest_from_json(given) if given is not None else read_manifest(manifest_path)
    if variant not in manifest.variants:
        raise UsageError(
            f"unknown variant {variant!r} for {manifest.name}; "
            f"variants: {', '.join(manifest.variants)}"
        )
    limit = manifest.max_threads.get(variant)
    if limit is not None and args.threads > limit:
        raise UsageError(f"{manifest.name}/{variant} runs at most {limit} thread"
                         f"{'' if limit == 1 else 's'} (max_threads), not {args.threads}")
    unknown = sorted(set(args.param) - set(manifest.params))
    if unknown:
        raise UsageError(
            f"unknown param {', '.join(map(repr, unknown))} for {manifest.name}; "
            f"params: {', '.join(manifest.params) or '(none)'}"
        )
    params = {**manifest.params, **args.param}

    name = "_ftlab_workload_" + "".join(c if c.isalnum() else "_" for c in manifest.name)
    spec = importlib.util.spec_from_file_location(name, module_path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    instance = module.create(variant, args.threads, dict(params), args.seed)
    return manifest, params, instance


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


def clip(text, limit=MAX_TEXT):
    """`text` when at most `limit` characters, else its start and end around a marked cut."""
    if len(text) <= limit:
        return text
    tail = limit // 4
    head = limit - tail
    return f"{text[:head]} [... {len(text) - head - tail} characters cut ...] {text[-tail:]}"


class Sampler:
    """Runs warmups (calibrating the batch when asked) and measured samples."""

    def __init__(self, pool, channel):
        self.pool = pool
        self.channel = channel
        self.index = 0

    def run(self, batch, warmup):
        wall_ns, ops, before, after, times = self.pool.sample(batch)
        message = {
            "type": "sample", "index": self.index, "warmup": warmup, "batch": batch,
            "ops": sum(ops), "wall_ns": wall_ns, "per_thread_ops": ops,
            "cpu_user_s": round(after.ru_utime - before.ru_utime, 6),
            "cpu_sys_s": round(after.ru_stime - before.ru_stime, 6),
            "ctx_voluntary": after.ru_nvcsw - before.ru_nvcsw,
            "ctx_involuntary": after.ru_nivcsw - before.ru_nivcsw,
        }
        if times:
            message["thread_stats"] = times
        self.channel.send(message)
        self.index += 1
        return wall_ns

    def calibrate(self, target_s, warmups, first_batch=None):
        """Calibrate the batch (module `calibrate`) on warmup samples of this process."""
        return calibrate(lambda batch: self.run(batch, warmup=True), target_s, warmups, first_batch)


def calibrate(run, target_s, warmups, first_batch=None):
    """Warm up while growing the batch until one sample lasts >= target_s; returns that batch.

    `run(batch)` runs one warmup sample and returns its wall time in ns. Runs at least one
    warmup and at least `warmups` of them in total. A sample that reaches the target far
    sooner than the previous one predicts (over 4x the predicted time), or the very first
    one, is repeated at the same batch before it is believed (the repeat must last at least
    half the target): a one-off stall (page faults, a busy neighbour) must not freeze the
    batch at a size too small to time. The rules are pinned by calibration-vectors.json,
    which drives ftlab's native harness too. `first_batch`, when a workload knows roughly what
    one op costs (its optional `first_batch(target_s)`), is where the doubling starts instead of 1.
    """
    target_ns = target_s * 1e9
    batch, done = max(FIRST_CALIBRATION_BATCH, first_batch or 0), 0
    expected_ns = None
    while True:
        wall_ns = run(batch)
        done += 1
        if wall_ns >= target_ns:
            if expected_ns is not None and wall_ns <= 4 * expected_ns:
                break
            wall_ns = run(batch)  # confirm it was no stall
            done += 1
            if wall_ns >= target_ns / 2:
                break
        next_ = next_batch(batch, wall_ns, target_ns)
        expected_ns = wall_ns * next_ / batch
        batch = next_
        if batch > MAX_CALIBRATION_BATCH:
            raise RuntimeError(
                f"calibration: a batch of {MAX_CALIBRATION_BATCH} still takes "
                f"{wall_ns / 1e9:.6f} s; does run() honour its batch argument?"
            )
    for _ in range(warmups - done):
        run(batch)
    return batch


def next_batch(batch, wall_ns, target_ns):
    """Double while samples are too short to extrapolate from; then scale up linearly."""
    if wall_ns < target_ns / 8:
        return batch * 2
    return max(batch + 1, int(batch * target_ns * 1.05 / wall_ns) + 1)


class Cleanup:
    """Calls the workload's optional `cleanup()` at most once; its failure is only reported."""

    def __init__(self):
        self.instance = None
        self.lock = threading.Lock()

    def __call__(self):
        with self.lock:
            instance, self.instance = self.instance, None
        hook = getattr(instance, "cleanup", None)
        if hook is None:
            return
        try:
            hook()
        except BaseException:
            sys.stderr.write("run.py: warning: cleanup() failed:\n" + traceback.format_exc())
            sys.stderr.flush()


def verdict(result, verify, directory):
    """(ok, checksum, expected, message) from what `verify()` returned.

    A mismatch names verify()'s `file:LINE` and adds the workload's own detail, if any."""
    if not isinstance(result, tuple) or len(result) not in (3, 4):
        raise TypeError(f"verify() returned {clip(repr(result), 200)}; expected (ok, checksum, expected"
                        f"[, detail])")
    if not isinstance(result[1], str) or not isinstance(result[2], str):
        raise TypeError(f"verify() returned checksum {clip(repr(result[1]), 200)} and expected "
                        f"{clip(repr(result[2]), 200)}; both must be str (e.g. str(total))")
    ok, checksum, expected = bool(result[0]), clip(result[1]), clip(result[2])
    if ok:
        return ok, checksum, expected, ""
    detail = clip(str(result[3])) if len(result) == 4 and result[3] else \
        "the workload's output does not match the expected result"
    code = getattr(verify, "__code__", None)
    where = code_location(code.co_filename, code.co_firstlineno, directory) if code else ""
    return ok, checksum, expected, f"verify() at {where}: {detail}" if where else detail


def code_location(filename, line, directory):
    """`FILE:LINE`, FILE relative to the workload folder when inside it, else its base name."""
    path = os.path.realpath(filename)
    root = os.path.realpath(directory) + os.sep if directory else None
    if root and path.startswith(root):
        return f"{os.path.relpath(path, root)}:{line}"
    return f"{os.path.basename(filename)}:{line}"


def error_location(exc, directory):
    """`file:LINE` of the innermost frame inside the workload folder (else the innermost)."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{os.path.basename(exc.filename)}:{exc.lineno}"
    frames = traceback.extract_tb(exc.__traceback__)
    if directory:
        root = os.path.realpath(directory) + os.sep
        inside = [f for f in frames if os.path.realpath(f.filename).startswith(root)]
        if inside:
            return code_location(inside[-1].filename, inside[-1].lineno, directory)
    return code_location(frames[-1].filename, frames[-1].lineno, None) if frames else ""


def check(directory, args):
    """`--check`: create the workload and run its optional `precheck()` (any kind: e.g. call a
    `--callable` function once) and, for a server, its optional `check()` (e.g. import the
    user's app, read a request file), nothing else. A ValueError there is a bad argument:
    exit 2 with an `error` whose message starts with `UsageError: `; exit 0 sends nothing."""
    try:
        manifest, _, instance = load_workload(directory, args, args.variant[0])
        hooks = [getattr(instance, "precheck", None)]
        if manifest.kind == "server":
            hooks.append(getattr(instance, "check", None))
        for hook in hooks:
            if hook is not None:
                hook()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return 0


GIL_WARNING = "The global interpreter lock (GIL) has been enabled to load module "


class GILWatch:
    """Records the modules whose import re-enabled the GIL (CPython says so with a
    RuntimeWarning naming the module), still showing each warning as before."""

    def __init__(self):
        self.modules = []
        self.show = warnings.showwarning
        warnings.showwarning = self._seen

    def _seen(self, message, category, filename, lineno, file=None, line=None):
        text = str(message)
        if category is RuntimeWarning and text.startswith(GIL_WARNING):
            name = text[len(GIL_WARNING):].split("'")[1] if "'" in text else text[len(GIL_WARNING):]
            if name not in self.modules:
                self.modules.append(name)
        self.show(message, category, filename, lineno, file, line)


def measure(channel, gil_watch, args, variant, cleanup, fail):
    """Create, prepare and measure one variant: its `hello`, samples and `bye`. Returns the exit
    status it asks for (0 verified, 3 not)."""
    directory = args.workload_dir
    manifest, params, instance = load_workload(directory, args, variant)
    cleanup.instance = instance
    instance.prepare()
    is_gil_enabled = getattr(sys, "_is_gil_enabled", None)
    libraries = mapped_libraries()
    channel.send({
        "type": "hello", "protocol": PROTOCOL_VERSION, "pid": os.getpid(),
        "implementation": sys.implementation.name,
        "python_version": platform.python_version(),
        "build": "freethreaded" if sysconfig.get_config_var("Py_GIL_DISABLED") else "gil",
        "gil_enabled": bool(is_gil_enabled()) if is_gil_enabled else True,
        "executable": sys.executable, "workload": manifest.name, "variant": variant,
        "threads": args.threads, "unit": manifest.unit, "params": params,
        "mapped_libraries": libraries,
        "pythonmalloc": os.environ.get("PYTHONMALLOC", ""),
        "ld_preload": os.environ.get("LD_PRELOAD", ""),
        "gil_enabled_by": gil_watch.modules,
    })

    if manifest.kind == "server":
        threading.excepthook = lambda hook: fail(hook.exc_value)
        return serve(channel, args, instance, UsageError)

    pool = Pool(instance, args.threads, args.cpus, fail)
    sampler = Sampler(pool, channel)
    pool.thread_stats = args.thread_stats
    if args.batch is None:
        hint = getattr(instance, "first_batch", None)
        batch = sampler.calibrate(args.target_seconds, args.warmups, hint(args.target_seconds) if hint else None)
    else:
        batch = args.batch
        for _ in range(args.warmups):
            sampler.run(batch, warmup=True)
    for _ in range(args.samples):
        sampler.run(batch, warmup=False)
    pool.stop()

    ok, checksum, expected, message = verdict(instance.verify(), instance.verify, directory)
    cleanup()
    channel.send({
        "type": "bye", "verified": ok, "checksum": checksum, "expected": expected,
        "message": message,
        "max_rss_kib": peak_rss_kib(),
        "thread_cpus": [sorted(cpus) for cpus in pool.seen_cpus],
        "thread_allowed": pool.allowed_cpus,
        "allocator_stats": allocator_stats(mapped_libraries()),
    })
    return 0 if ok else 3


def usage_error(channel, exc):
    print(f"run.py: error: {exc}", file=sys.stderr)
    channel.send({"type": "error", "message": f"UsageError: {exc}", "traceback": "", "where": ""})


def main(argv):
    channel = Channel()
    gil_watch = GILWatch()
    directory = None
    cleanup = Cleanup()

    def fail(exc):
        channel.fail(exc, error_location(exc, directory), before_exit=cleanup)

    try:
        args = parse_args(argv)
        directory = args.workload_dir
        if args.check:
            return check(directory, args)
        if len(args.variant) == 1:
            return measure(channel, gil_watch, args, args.variant[0], cleanup, fail)
    except UsageError as exc:
        usage_error(channel, exc)
        return 2
    except BaseException as exc:
        fail(exc)
        return 1  # only reached when another thread is already reporting its failure
    return measure_each(channel, gil_watch, args, cleanup, fail)


def measure_each(channel, gil_watch, args, cleanup, fail):
    """Several variants in one process (PROTOCOL.md, "Several variants"): a `variant` line before
    each; a variant that fails sends its `error` and the next one goes on. A worker thread's
    failure still ends the process."""
    os.environ["FTLAB_VARIANTS"] = json.dumps(args.variant)
    status = 0
    for variant in args.variant:
        channel.send({"type": "variant", "name": variant})
        try:
            code = measure(channel, gil_watch, args, variant, cleanup, fail)
        except UsageError as exc:
            usage_error(channel, exc)
            code = 2
        except Exception as exc:  # noqa: BLE001 - this variant's failure, reported; the next goes on
            cleanup()
            text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
            sys.stderr.write(text)
            channel.send({"type": "error", "message": clip(f"{type(exc).__name__}: {exc}", 4 * MAX_TEXT),
                          "traceback": clip(text, 64 * MAX_TEXT),
                          "where": error_location(exc, args.workload_dir)})
            code = 1
        status = status or code
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
