#!/usr/bin/env bash
# Builds the libFuzzer binary (Tests/Fuzz/Target, `ftlab-fuzz TARGET ...`) and runs each target
# (an entry of Tests/Fuzz/Entries/FuzzEntry.swift) for SECONDS (default 60),
# starting from the seeds in Tests/Fuzz/corpus/TARGET with the tokens in Tests/Fuzz/dict.
#   Tests/Fuzz/run-fuzzers.sh [SECONDS] [TARGET...]     TARGET: results-csv workload-manifest
#                                                         harness-protocol http-response
# Everything it writes stays in .build-fuzz: the instrumented build, the growing corpus
# (corpus/TARGET), what libFuzzer found (artifacts/TARGET: crash-*, timeout-*, oom-*, leak-*), the
# logs. Exit status 1 when any target found something in this run; a summary line per target
# either way.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PATH:/opt/swift/usr/bin"

seconds=${1:-60}
shift $(( $# > 0 ? 1 : 0 ))
targets=("$@")
(( ${#targets[@]} )) || targets=(results-csv workload-manifest harness-protocol http-response)
scratch=.build-fuzz
for target in "${targets[@]}"; do
    [[ -d "Tests/Fuzz/corpus/$target" ]] || { echo "unknown target '$target'; known: results-csv workload-manifest harness-protocol http-response" >&2; exit 2; }
done

# Swift and the C++ of TOMLKit instrumented for coverage and ASan; FTLAB_FUZZING gives the
# binary libFuzzer's driver as its main (Tests/Fuzz/Entries/FuzzEntry.swift).
build=(swift build -c debug --scratch-path "$scratch"
       -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DFTLAB_FUZZING
       -Xswiftc -enable-experimental-feature -Xswiftc Extern
       -Xcxx -fsanitize=fuzzer-no-link,address)
mkdir -p "$scratch/logs"
echo "== building ftlab-fuzz"
# ld.gold warns once per ASan helper symbol it cannot export: noise, left out of what is shown.
if ! "${build[@]}" --product ftlab-fuzz > "$scratch/logs/build.log" 2>&1; then
    grep -v "Cannot export local symbol" "$scratch/logs/build.log" | tail -40 >&2
    echo "ftlab-fuzz did not build (log: $scratch/logs/build.log)" >&2
    exit 2
fi

# The Swift runtime's backtracer and ASan would both handle a trap; libFuzzer needs ASan's.
export SWIFT_BACKTRACE=enable=no
# Leaks inside TOMLKit are known and suppressed (lsan-suppressions.txt); any other leak counts.
export LSAN_OPTIONS="suppressions=$PWD/Tests/Fuzz/lsan-suppressions.txt${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
status=0
summary=()
for target in "${targets[@]}"; do
    corpus="$scratch/corpus/$target" artifacts="$scratch/artifacts/$target" log="$scratch/logs/$target.log"
    mkdir -p "$corpus" "$artifacts"
    echo "== $target for ${seconds}s (log: $log)"
    touch "$log.start"  # findings of earlier runs stay in artifacts/ but are not counted again
    rc=0
    "$scratch/debug/ftlab-fuzz" "$target" "$corpus" "Tests/Fuzz/corpus/$target" \
        -dict="Tests/Fuzz/dict/$target.dict" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
        -max_len=8192 -print_final_stats=1 -artifact_prefix="$artifacts/" > "$log" 2>&1 || rc=$?
    grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^Done |^stat::|^SUMMARY|ERROR: libFuzzer|^artifact_prefix' "$log" || true
    last=$(grep -E '^#[0-9]+[[:space:]]' "$log" | tail -1 | tr '\t' ' ' || true)
    found=$(find "$artifacts" -type f -newer "$log.start" | wc -l)
    summary+=("$(printf '%-18s rc=%-3s found=%-2s %s' "$target" "$rc" "$found" "$last")")
    (( rc == 0 && found == 0 )) || status=1
done
echo "== summary (found: inputs under $scratch/artifacts)"
printf '%s\n' "${summary[@]}"
exit $status
