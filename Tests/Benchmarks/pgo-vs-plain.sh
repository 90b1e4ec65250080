#!/usr/bin/env bash
# A benchmark, not a test: does a PGO + LTO build (what distributions ship) move the
# free-threaded/GIL ratio? Builds the PGO pair of the default release in a second cache (about
# 30 minutes on 2 cores; kept for the next time), then measures it beside the plain lab pair in
# one run (the four interpreters interleaved) and prints, per workload, what PGO gains on each
# build (ftlab compare's geometric means) and the PEP 779 lines of each pair. Run on a quiet
# machine; nothing here is asserted. results/README.md quotes one run of it.
#
#   Tests/Benchmarks/pgo-vs-plain.sh [OUT_DIR]
source "$(dirname "$0")/bench-env.sh" "${1:-}"
pgo_cache="${FTLAB_PGO_CACHE:-$cache-pgo}"
version="$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['version'])" "$cache/pythons/default.json" 2>/dev/null || echo 3.13.5)"
minor="${version%.*}"

FTLAB_CACHE="$pgo_cache" "$ftlab" lab pythons --version "$version" --pgo --source-dir "$cache/sources"
gil="$pgo_cache/pythons/cpython-$version/bin/python$minor"
ft="$pgo_cache/pythons/cpython-${version}t/bin/python${minor}t"

"$ftlab" run log-processing buffered-copy http-handling/thread-pool http-handling/asyncio-per-thread \
    lockbench ftscalingbench/pymethod ftscalingbench/object_cfunction ftscalingbench/create_pyobject \
    --python "$version" --python "$gil" --python "$ft" --threads 1,2 --quick -o "$out/pgo.csv" > "$out/summary.txt"

for build in "" t; do
    echo "== what PGO changes on cpython-$version$build (geometric mean per workload) =="
    "$ftlab" compare "$out/pgo.csv" --base "interpreter=cpython-$version$build" \
        --new "interpreter=cpython-$version$build-pgo" --ignore interpreter | sed -n '/^Geometric mean/,/^$/p'
done
echo "== PEP 779 lines, each pair on its own =="
"$ftlab" report "$out/pgo.csv" --format markdown | grep '^- .*(CPython '
echo "run: $out/pgo.csv (summary: $out/summary.txt)"
