#!/usr/bin/env bash
# Validates `ftlab compare` on real runs of this machine:
#   A/A: the quick log-processing suite run twice; every "slower"/"faster" verdict is a false
#        positive (the same build, the same code).
#   A/B: the GIL build with PYTHONMALLOC=malloc_debug against plain: a real slowdown that
#        must come out "slower" with exit 1.
# Usage: Benchmarks/compare-self-validation.sh [OUTDIR]   (FTLAB=path/to/ftlab to override)
set -uo pipefail
cd "$(dirname "$0")/.."
ftlab="${FTLAB:-.build/release/ftlab}"
out="${1:-$(mktemp -d /tmp/ftlab-selfcheck.XXXX)}"
mkdir -p "$out"

run() { "$ftlab" run "$@" --quiet > /dev/null; }

echo "A/A: two quick runs of log-processing (both builds, 1 and 2 threads) -> $out"
run log-processing --quick -o "$out/aa-1.csv"
run log-processing --quick -o "$out/aa-2.csv"
"$ftlab" compare "$out/aa-1.csv" "$out/aa-2.csv" | tee "$out/aa.txt"
echo "A/A exit code: ${PIPESTATUS[0]} (0 expected)"
echo "A/A false positives: $(grep -cE ' (slower|faster)$' "$out/aa.txt") of $(grep -cE ' (slower|faster|same)$' "$out/aa.txt") comparisons"

echo
echo "A/B: GIL build, plain vs PYTHONMALLOC=malloc_debug"
run log-processing/partitioned --python cpython-3.13.5 --threads 1 --quick -o "$out/ab-plain.csv"
run log-processing/partitioned --python cpython-3.13.5 --threads 1 --quick --env PYTHONMALLOC=malloc_debug -o "$out/ab-debug.csv"
"$ftlab" compare "$out/ab-plain.csv" "$out/ab-debug.csv" --ignore env
echo "A/B exit code: $? (1 expected)"
