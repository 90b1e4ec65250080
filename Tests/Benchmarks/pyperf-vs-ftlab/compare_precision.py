"""Precision and ratio from a pyperf JSON pair and an ftlab CSV, computed the same way for both:
the process (pyperf's run) is the unit; the 95% CI of the median time per op comes from a
two-stage bootstrap (resample processes, then values within each), as ftlab computes its own.

    python compare_precision.py PYPERF_GIL.json PYPERF_FT.json FTLAB.csv PYPERF_SECONDS FTLAB_SECONDS
"""
import csv
import json
import random
import statistics
import sys

RESAMPLES = 2000


def bootstrap_median(processes, rng):
    """Median of one two-stage resample of `processes` (lists of values)."""
    pool = []
    for _ in processes:
        values = rng.choice(processes)
        pool.extend(rng.choice(values) for _ in values)
    return statistics.median(pool)


def interval(processes, rng):
    medians = sorted(bootstrap_median(processes, rng) for _ in range(RESAMPLES))
    return medians[int(0.025 * RESAMPLES)], medians[int(0.975 * RESAMPLES) - 1]


def ratio_interval(base, new, rng):
    ratios = sorted(bootstrap_median(new, rng) / bootstrap_median(base, rng) for _ in range(RESAMPLES))
    return ratios[int(0.025 * RESAMPLES)], ratios[int(0.975 * RESAMPLES) - 1]


def pyperf_processes(path):
    with open(path) as f:
        suite = json.load(f)
    runs = suite["benchmarks"][0]["runs"]
    return [run["values"] for run in runs if run.get("values")]


def ftlab_processes(path):
    by_build = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row["status"] != "ok":
                continue
            seconds_per_op = float(row["wall_s"]) / float(row["ops"])
            by_build.setdefault(row["build"], {}).setdefault(row["process"], []).append(seconds_per_op)
    return {build: list(processes.values()) for build, processes in by_build.items()}


def describe(name, processes, rng):
    median = statistics.median(v for p in processes for v in p)
    lo, hi = interval(processes, rng)
    half = max(median - lo, hi - median) / median
    return median, half, len(processes), sum(len(p) for p in processes)


def main():
    gil_json, ft_json, ftlab_csv, pyperf_seconds, ftlab_seconds = sys.argv[1:6]
    rng = random.Random(1)
    tools = {
        "pyperf": ({"gil": pyperf_processes(gil_json), "freethreaded": pyperf_processes(ft_json)}, float(pyperf_seconds)),
        "ftlab --ci-target 2%": (ftlab_processes(ftlab_csv), float(ftlab_seconds)),
    }
    print("| tool | wall time | build | processes | values | median time/line | 95% CI half-width | ft/gil time ratio [95% CI] |")
    print("|---|---|---|---|---|---|---|---|")
    for tool, (builds, seconds) in tools.items():
        lo, hi = ratio_interval(builds["gil"], builds["freethreaded"], rng)
        ratio = statistics.median(v for p in builds["freethreaded"] for v in p) / statistics.median(v for p in builds["gil"] for v in p)
        for build in ("gil", "freethreaded"):
            median, half, n, values = describe(build, builds[build], rng)
            shown_ratio = f"{ratio:.3f} [{lo:.3f}, {hi:.3f}]" if build == "freethreaded" else ""
            print(f"| {tool} | {seconds:.0f} s | {build} | {n} | {values} | {median * 1e6:.3f} us | ±{half * 100:.1f}% | {shown_ratio} |")


if __name__ == "__main__":
    main()
