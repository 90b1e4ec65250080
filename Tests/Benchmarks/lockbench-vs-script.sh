#!/usr/bin/env bash
# A benchmark, not a test: ftlab's lockbench workload against CPython's own
# Tools/lockbench/lockbench.py run five times, on both builds of the lab pair, in one sitting.
# Uses the 3.14 edition of the script (python3.14-examples, `ftlab lab examples --version 3.14`):
# its benchmark_locks call is 3.13's. Prints ftlab's summary, then the script's median and range
# per lock type at 1 and 2 threads. Run on a quiet machine; nothing here is asserted.
#
#   Tests/Benchmarks/lockbench-vs-script.sh [OUT_DIR]
source "$(dirname "$0")/bench-env.sh" "${1:-}"

script="$(ls "$cache"/tools/python3.14-examples-*/usr/share/doc/python3.14/examples/lockbench/lockbench.py 2>/dev/null | tail -1 || true)"
if [ -z "$script" ]; then
    "$ftlab" lab examples --version 3.14
    script="$(ls "$cache"/tools/python3.14-examples-*/usr/share/doc/python3.14/examples/lockbench/lockbench.py | tail -1)"
fi
version="$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['version'])" "$cache/pythons/default.json" 2>/dev/null || echo 3.13.5)"
minor="${version%.*}"
cpus="$(python3 -c "import os; print(','.join(map(str, sorted(os.sched_getaffinity(0))[:2])))")"

FTLAB_LOCKBENCH="$script" "$ftlab" run lockbench --python lab --threads 1,2 --quick -o "$out/ftlab.csv"
for build in "" t; do
    python="$cache/pythons/cpython-$version$build/bin/python$minor$build"
    for i in 1 2 3 4 5; do taskset -c "$cpus" "$python" "$script" > "$out/script-cpython-$version$build-$i.txt"; done
done
python3 - "$out" <<'PY'
import glob, os, statistics, sys
runs = {}
for path in sorted(glob.glob(os.path.join(sys.argv[1], "script-*.txt"))):
    interpreter = os.path.basename(path)[len("script-"):].rsplit("-", 1)[0]
    for line in open(path).read().splitlines()[1:]:
        lock, threads, khz = line.split()[:3]
        if threads in ("1", "2"):
            runs.setdefault((interpreter, lock, int(threads)), []).append(float(khz) * 1000)
print("lockbench.py, median of 5 (range), acquisitions/s:")
for (interpreter, lock, threads), values in sorted(runs.items()):
    print(f"  {interpreter:<18} {lock:<19} {threads} thread(s): {statistics.median(values) / 1e6:.1f}M "
          f"({min(values) / 1e6:.1f}-{max(values) / 1e6:.1f}M)")
PY
