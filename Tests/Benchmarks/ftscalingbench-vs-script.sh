#!/usr/bin/env bash
# A benchmark, not a test: ftlab's ftscalingbench workload (every registered function, threads
# 1 and 2, on the default pair's free-threaded build) against CPython's own
# Tools/ftscalingbench/ftscalingbench.py run five times on the same interpreter, in one sitting.
# Uses the script of the default pair's own release (python3.X-examples, `ftlab lab examples
# --version X.Y`). Prints ftlab's speedup at 2 threads with its CI (from `ftlab compare`) beside
# the script's median and range of its own factor. Run on a quiet machine; nothing is asserted.
#
#   Tests/Benchmarks/ftscalingbench-vs-script.sh [OUT_DIR]
source "$(dirname "$0")/bench-env.sh" "${1:-}"
version="$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['version'])" "$cache/pythons/default.json")"
minor="${version%.*}"
script="$(ls "$cache"/tools/python$minor-examples-*/usr/share/doc/python$minor/examples/ftscalingbench/ftscalingbench.py 2>/dev/null | tail -1 || true)"
if [ -z "$script" ]; then
    "$ftlab" lab examples --version "$minor"
    script="$(ls "$cache"/tools/python$minor-examples-*/usr/share/doc/python$minor/examples/ftscalingbench/ftscalingbench.py | tail -1)"
fi
python="$cache/pythons/cpython-${version}t/bin/python${minor}t"
echo "ftscalingbench: $script (sha256 $(sha256sum "$script" | cut -c1-12)...) on cpython-${version}t; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2

FTLAB_FTSCALINGBENCH="$script" "$ftlab" run ftscalingbench --python "cpython-${version}t" --threads 1,2 --quick -o "$out/ftlab.csv"
"$ftlab" compare "$out/ftlab.csv" --base threads=1 --new threads=2 --format csv > "$out/speedup.csv" || true
for i in 1 2 3 4 5; do "$python" "$script" > "$out/script-$i.txt"; done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 - "$out" <<'PY'
import csv, glob, os, re, statistics, sys
out = sys.argv[1]
factors = {}
for path in sorted(glob.glob(os.path.join(out, "script-*.txt"))):
    for line in open(path):
        m = re.match(r"\s*(\w+)\s*:?\s*([\d.]+)x (faster|slower)", line)
        if m:
            value = float(m.group(2))
            factors.setdefault(m.group(1), []).append(value if m.group(3) == "faster" else 1 / value)
ftlab = {}
for row in csv.DictReader(open(os.path.join(out, "speedup.csv"))):
    if row["metric"] == "throughput":
        ftlab[row["variant"]] = (row["ratio"], row["ratio_ci_low"], row["ratio_ci_high"])
print("| benchmark | ftlab speedup at 2 threads (95% CI) | ftscalingbench.py median of 5 | its range |")
print("|---|---:|---:|---:|")
for name in sorted(set(factors) | set(ftlab)):
    ratio, low, high = ftlab.get(name, ("", "", ""))
    mine = f"{float(ratio):.2f}x [{float(low):.2f}, {float(high):.2f}]" if ratio else "-"
    values = factors.get(name, [])
    theirs = f"{statistics.median(values):.2f}x" if values else "-"
    spread = f"{min(values):.2f}-{max(values):.2f}x" if values else "-"
    print(f"| {name} | {mine} | {theirs} | {spread} |")
PY
