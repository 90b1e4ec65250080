"""log-processing/partitioned's parse at 1 thread as a pyperf benchmark: the same body ftlab
runs (Workloads/log-processing/workload.py, the same generated lines and parser), timed by
pyperf's own Runner with its defaults. Each worker process verifies what it parsed.

    python logparse_pyperf.py --workloads DIR -o OUT.json   (plus any pyperf Runner option)
"""
import importlib.util
import os
import sys

import pyperf


def load_workload(workloads):
    path = os.path.join(workloads, "log-processing", "workload.py")
    spec = importlib.util.spec_from_file_location("log_processing_workload", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    runner = pyperf.Runner(add_cmdline_args=lambda cmd, args: cmd.extend(["--workloads", args.workloads]))
    runner.argparser.add_argument("--workloads", required=True, help="the ftlab Workloads folder")
    args = runner.parse_args()
    module = load_workload(args.workloads)
    work = module.create("partitioned", 1, {"lines": "20000", "chunk": "100"}, 0)
    work.prepare()

    def parse(loops):
        # One loop is one log line, as one op is in ftlab's rows.
        start = pyperf.perf_counter()
        work.run(0, loops)
        elapsed = pyperf.perf_counter() - start
        ok, got, want = work.verify()
        if not ok:
            sys.exit(f"verification failed: totals {got} != expected {want}")
        return elapsed

    runner.bench_time_func("log-processing/partitioned threads=1", parse)


if __name__ == "__main__":
    main()
