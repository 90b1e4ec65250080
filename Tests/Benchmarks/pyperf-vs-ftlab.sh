#!/usr/bin/env bash
# A benchmark, not a test: the same body (log-processing/partitioned's parse at 1 thread, on
# both lab builds) measured by pyperf's default Runner and by `ftlab run --ci-target 2%`.
# Prints, for each: wall time, the 95% CI half-width reached (computed the same way from both
# outputs: Tests/Benchmarks/pyperf-vs-ftlab/compare_precision.py) and the free-threaded/GIL
# time ratio found. Run on a quiet machine; nothing here is asserted.
#
#   Tests/Benchmarks/pyperf-vs-ftlab.sh [OUT_DIR]
source "$(dirname "$0")/bench-env.sh" "${1:-}"
pyperf_version=2.11.0

now() { date +%s.%N; }
seconds() { python3 -c "print(f'{$2 - $1:.1f}')"; }

pythons=()
for label in cpython-3.13.5 cpython-3.13.5t; do
    python="$(ls "$cache/pythons/$label/bin/"python3.*[0-9t] | head -1)"
    suffix=""; [ "${label: -1}" = t ] && suffix=t
    venv="$cache/tools/pyperf-$pyperf_version$suffix"
    if [ ! -x "$venv/bin/python" ]; then
        "$python" -m venv "$venv"
        "$venv/bin/python" -m pip install --quiet "pyperf==$pyperf_version"
    fi
    pythons+=("$venv/bin/python")
done

start=$(now)
for i in 0 1; do
    build=$([ $i = 0 ] && echo gil || echo ft)
    "${pythons[$i]}" "$here/pyperf-vs-ftlab/logparse_pyperf.py" --workloads "$repo/Workloads" \
        --quiet -o "$out/pyperf-$build.json"
done
pyperf_seconds=$(seconds "$start" "$(now)")

start=$(now)
"$ftlab" run log-processing/partitioned --threads 1 --python lab --allocator system \
    --ci-target 2% --budget "${BUDGET:-10m}" -o "$out/ftlab.csv" > "$out/ftlab-summary.txt" 2> "$out/ftlab-progress.txt" || true
ftlab_seconds=$(seconds "$start" "$(now)")

echo "pyperf: $pyperf_seconds s; ftlab: $ftlab_seconds s; outputs in $out"
python3 "$here/pyperf-vs-ftlab/compare_precision.py" "$out/pyperf-gil.json" "$out/pyperf-ft.json" \
    "$out/ftlab.csv" "$pyperf_seconds" "$ftlab_seconds" | tee "$out/table.md"
grep -A12 "precision" "$out/ftlab-summary.txt" || true
