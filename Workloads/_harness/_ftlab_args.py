"""run.py's command line (PROTOCOL.md, top): parsed and checked, or a UsageError (exit 2)."""

import argparse


class UsageError(Exception):
    """Bad arguments: reported with exit status 2."""


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
