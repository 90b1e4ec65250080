#!/usr/bin/env bash
# Validates `ftlab compare` on real runs of this machine, log-processing (every variant, both
# builds, 1 and 2 threads):
#   A/A apart:       two runs one after the other. Every "slower"/"faster" verdict is a false
#                    positive, or the machine's own drift between the runs.
#   A/A interleaved: one run with --ab-env FTLAB_AA=1 (a variable Python ignores), so the two
#                    sides run side by side in time; drift hits both alike.
#   A/B interleaved: the GIL build with and without PYTHONMALLOC=malloc_debug in one run: a
#                    real slowdown that must come out "slower" with exit 1.
# Usage: Tests/Benchmarks/compare-self-validation.sh [OUTDIR [RUN OPTIONS...]]
#   RUN OPTIONS default to --quick; e.g. `... /tmp/v --quick --processes 5` for a CI gate's
#   setting. FTLAB=path/to/ftlab overrides the binary.
set -uo pipefail
cd "$(dirname "$0")/../.."
ftlab="${FTLAB:-.build/release/ftlab}"
out="${1:-$(mktemp -d /tmp/ftlab-selfcheck.XXXX)}"
shift || true
options=("$@")
[ ${#options[@]} -gt 0 ] || options=(--quick)
mkdir -p "$out"

run() { "$ftlab" run "$@" "${options[@]}" --threads 1,2 --quiet > /dev/null; }
count() {  # count FILE: "N of M" verdicts other than same
    echo "$(grep -cE '^[a-z].* (slower|faster)$' "$1") of $(grep -cE '^[a-z].* (slower|faster|same)$' "$1")"
}

echo "Run options: ${options[*]}; files in $out"
echo
echo "A/A apart: two runs of log-processing, one after the other"
run log-processing -o "$out/aa-1.csv"
run log-processing -o "$out/aa-2.csv"
"$ftlab" compare "$out/aa-1.csv" "$out/aa-2.csv" --metric throughput | tee "$out/aa-apart.txt"
echo "A/A apart: exit ${PIPESTATUS[0]} (0 expected); verdicts not same: $(count "$out/aa-apart.txt")"

echo
echo "A/A interleaved: one run, --ab-env FTLAB_AA=1"
run log-processing --ab-env FTLAB_AA=1 -o "$out/aa-interleaved.csv"
"$ftlab" compare "$out/aa-interleaved.csv" --base env= --new env=FTLAB_AA=1 --metric throughput \
    | tee "$out/aa-interleaved.txt"
echo "A/A interleaved: exit ${PIPESTATUS[0]} (0 expected); verdicts not same: $(count "$out/aa-interleaved.txt")"

echo
echo "A/B interleaved: GIL build, plain vs PYTHONMALLOC=malloc_debug in one run"
run log-processing/partitioned --python cpython-3.13.5 --ab-env PYTHONMALLOC=malloc_debug -o "$out/ab.csv"
"$ftlab" compare "$out/ab.csv" --base env= --new env=PYTHONMALLOC=malloc_debug --metric throughput
echo "A/B exit code: $? (1 expected)"
