"""ftlab harness: runs one workload variant on persistent worker threads (see PROTOCOL.md).

Standard library only; CPython 3.10+ (3.11+ when started by hand: reading workload.toml needs
tomllib), GIL and free-threaded builds, Linux.

The entry point the runner starts; the work is done by its sibling modules, one concern each:
_ftlab_args (command line), _ftlab_load (manifest, workload.py), _ftlab_pool (worker threads),
_ftlab_sampler and _ftlab_calibrate (samples, batch size), _ftlab_gil (GIL watch),
_ftlab_report (hello, bye, verdict, error locations), _ftlab_protocol (the channel and the
messages, from protocol.json), _ftlab_server (server workloads), _ftlab_proc (/proc).
"""

import json
import os
import sys
import threading
import traceback

from _ftlab_args import UsageError, parse_args
from _ftlab_gil import GILWatch
from _ftlab_load import check, load_workload
from _ftlab_pool import Pool
from _ftlab_protocol import Channel, error_message, message
from _ftlab_report import bye, error_location, hello, verdict
from _ftlab_sampler import Sampler
from _ftlab_server import serve


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


def measure(channel, gil_watch, args, variant, cleanup, fail):
    """Create, prepare and measure one variant: its `hello`, samples and `bye`. Returns the exit
    status it asks for (0 verified, 3 not)."""
    directory = args.workload_dir
    manifest, params, instance = load_workload(directory, args, variant)
    cleanup.instance = instance
    instance.prepare()
    channel.send(hello(manifest, params, variant, args.threads, gil_watch.modules))

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

    ok, checksum, expected, text = verdict(instance.verify(), instance.verify, directory)
    cleanup()
    channel.send(bye(ok, checksum, expected, text, [sorted(cpus) for cpus in pool.seen_cpus], pool.allowed_cpus))
    return 0 if ok else 3


def usage_error(channel, exc):
    print(f"run.py: error: {exc}", file=sys.stderr)
    channel.send(message("error", message=f"UsageError: {exc}", traceback="", where=""))


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
        channel.send(message("variant", name=variant))
        try:
            code = measure(channel, gil_watch, args, variant, cleanup, fail)
        except UsageError as exc:
            usage_error(channel, exc)
            code = 2
        except Exception as exc:  # noqa: BLE001 - this variant's failure, reported; the next goes on
            cleanup()
            error, text = error_message(exc, error_location(exc, args.workload_dir))
            sys.stderr.write(text)
            channel.send(error)
            code = 1
        status = status or code
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
