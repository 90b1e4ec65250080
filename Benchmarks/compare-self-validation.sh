#!/usr/bin/env bash
# Validates `ftlab compare` on real runs of this machine:
#   A/A: the log-processing suite (both builds, 1 and 2 threads) run twice; every
#        "slower"/"faster" verdict is a false positive (the same build, the same code).
#   A/B: the GIL build with PYTHONMALLOC=malloc_debug against plain: a real slowdown that
#        must come out "slower" with exit 1.
# Usage: Benchmarks/compare-self-validation.sh [OUTDIR [RUN OPTIONS...]]
#   RUN OPTIONS default to --quick; e.g. `... /tmp/v --quick --processes 5` for a CI gate's
#   setting. FTLAB=path/to/ftlab overrides the binary.
set -uo pipefail
cd "$(dirname "$0")/.."
ftlab="${FTLAB:-.build/release/ftlab}"
out="${1:-$(mktemp -d /tmp/ftlab-selfcheck.XXXX)}"
shift || true
options=("$@")
[ ${#options[@]} -gt 0 ] || options=(--quick)
mkdir -p "$out"

run() { "$ftlab" run "$@" "${options[@]}" --threads 1,2 --quiet > /dev/null; }

echo "A/A: two runs of log-processing (both builds, 1 and 2 threads, ${options[*]}) -> $out"
run log-processing -o "$out/aa-1.csv"
run log-processing -o "$out/aa-2.csv"
"$ftlab" compare "$out/aa-1.csv" "$out/aa-2.csv" --metric throughput | tee "$out/aa.txt"
echo "A/A exit code: ${PIPESTATUS[0]} (0 expected)"
echo "A/A false positives: $(grep -cE '^[a-z].* (slower|faster)$' "$out/aa.txt") of $(grep -cE '^[a-z].* (slower|faster|same)$' "$out/aa.txt") comparisons"

echo
echo "A/B: GIL build, plain vs PYTHONMALLOC=malloc_debug"
run log-processing/partitioned --python cpython-3.13.5 -o "$out/ab-plain.csv"
run log-processing/partitioned --python cpython-3.13.5 --env PYTHONMALLOC=malloc_debug -o "$out/ab-debug.csv"
"$ftlab" compare "$out/ab-plain.csv" "$out/ab-debug.csv" --ignore env --metric throughput
echo "A/B exit code: $? (1 expected)"
