#!/usr/bin/env bash
# Results at scale: how fast ftlab reads, writes and summarises big results files, next to
# pandas and DuckDB on the same files in the same sitting (so the ratio is the figure).
#
# Builds files of SIZE rows from the committed run results/full-2cpu-epyc.csv, repeating its
# rows with new process numbers (copy k adds k * the largest process number, so every row
# stays a distinct sample of a distinct process), then times, per file:
#   ftlab merge FILE HEADER-ONLY -o OUT     read + validate + write every row
#   ftlab report FILE -o OUT.html           the scaling report (bootstrap CIs)
#   ftlab compare FILE FILE                 the file against itself (A/A)
#   ftlab export FILE --format pyperf -o D  one pyperf JSON per configuration
#   pandas read_csv + to_csv;  pandas read_csv + groupby(configuration) median
#   DuckDB COPY (read + write); DuckDB GROUP BY configuration, median
# each under /usr/bin/time -v: wall time and peak RSS.
#
# Usage: Tests/Benchmarks/results-at-scale.sh [OUTDIR [SIZE...]]
#   SIZE defaults to 10000 100000 223200 1000000 (223200 rows: the committed run x 100).
#   FTLAB=path/to/ftlab uses that binary instead of building the release one.
#   Needs: /usr/bin/time (apt-get install time), and PyPI for the first run: pandas and duckdb
#   go in a venv under ~/.cache/ftlab/tools/results-bench (created when absent).
set -euo pipefail
cd "$(dirname "$0")/../.."
repository=$PWD
out="${1:-$(mktemp -d /tmp/ftlab-results-scale.XXXX)}"
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 223200 1000000)
mkdir -p "$out"
out=$(cd "$out" && pwd)
source_csv="$repository/results/full-2cpu-epyc.csv"

if [ -z "${FTLAB:-}" ]; then
    swift build -c release --product ftlab > "$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
    FTLAB="$repository/.build/release/ftlab"
fi
[ -x /usr/bin/time ] || apt-get install -y time > /dev/null

tools="${XDG_CACHE_HOME:-$HOME/.cache}/ftlab/tools/results-bench"
if ! "$tools/bin/python" -c 'import pandas, duckdb' 2> /dev/null; then
    echo "creating $tools (pandas, duckdb from PyPI)"
    python3 -m venv "$tools"
    "$tools/bin/pip" install --quiet --disable-pip-version-check pandas duckdb
fi
py="$tools/bin/python"

# make_file SIZE PATH: SIZE rows from the committed run, copy k with process + k * max.
make_file() {
    "$py" - "$source_csv" "$1" "$2" << 'EOF'
import csv, sys
source, size, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(source, newline="") as f:
    reader = csv.reader(f)
    header = next(reader)
    rows = list(reader)
process = header.index("process")
step = max(int(r[process]) for r in rows)
with open(path, "w", newline="") as f:
    writer = csv.writer(f, lineterminator="\n")
    writer.writerow(header)
    written, copy = 0, 0
    while written < size:
        for r in rows[: size - written]:
            r = list(r)
            r[process] = str(int(r[process]) + copy * step)
            writer.writerow(r)
        written += min(len(rows), size - written)
        copy += 1
EOF
}

# timed TASK TOOL COMMAND...: one line of the table (wall s, peak RSS MB), command output in out/.
timed() {
    local task=$1 tool=$2
    shift 2
    local log="$out/$size-$task-$tool"
    log=${log// /_}
    local status=0
    /usr/bin/time -v -o "$log.time" "$@" > "$log.out" 2> "$log.err" || status=$?
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {
        n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$log.time")
    rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$log.time")
    local note=""
    [ "$status" = 0 ] || note=" (exit $status: $(head -c 120 "$log.err" | tr '\n' ' '))"
    printf '| %s | %s | %s | %s | %s | %s |\n' "$size" "$mb" "$task" "$tool" "$wall" "$rss$note" | tee -a "$out/results.md"
}

keys='workload, variant, params, interpreter, python_version, build, env, threads, placement, allocator'
{
    echo "ftlab: $FTLAB ($("$FTLAB" --version 2> /dev/null || echo unknown)); $("$py" -c 'import pandas, duckdb; print(f"pandas {pandas.__version__}, duckdb {duckdb.__version__}")')"
    echo "$(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%FT%TZ)"
    echo
    echo "| rows | file MB | task | tool | wall s | peak RSS MB |"
    echo "|---|---|---|---|---|---|"
} | tee "$out/results.md"
head -1 "$source_csv" > "$out/header-only.csv"
for size in "${sizes[@]}"; do
    file="$out/rows-$size.csv"
    [ -s "$file" ] || make_file "$size" "$file"
    mb=$(du -m --apparent-size "$file" | cut -f1)
    rm -rf "$out/merged.csv" "$out/pyperf" "$out/pandas.csv" "$out/duckdb.csv"
    timed "read+write" "ftlab merge" "$FTLAB" merge "$file" "$out/header-only.csv" -o "$out/merged.csv"
    timed "read+write" "pandas" "$py" -c "import pandas, sys; pandas.read_csv(sys.argv[1]).to_csv(sys.argv[2], index=False)" "$file" "$out/pandas.csv"
    timed "read+write" "duckdb" "$py" -c "import duckdb, sys; duckdb.sql(f\"COPY (SELECT * FROM read_csv('{sys.argv[1]}')) TO '{sys.argv[2]}' (HEADER)\")" "$file" "$out/duckdb.csv"
    timed "summarise" "ftlab report" "$FTLAB" report "$file" -o "$out/report.html"
    timed "summarise" "ftlab compare" "$FTLAB" compare "$file" "$file"
    timed "summarise" "ftlab export" "$FTLAB" export "$file" --format pyperf -o "$out/pyperf"
    timed "summarise" "pandas median" "$py" -c "import pandas, sys
df = pandas.read_csv(sys.argv[1])
print(df.groupby([k.strip() for k in sys.argv[2].split(',')], dropna=False)['throughput'].median())" "$file" "$keys"
    timed "summarise" "duckdb median" "$py" -c "import duckdb, sys
print(duckdb.sql(f\"SELECT {sys.argv[2]}, median(throughput) FROM read_csv('{sys.argv[1]}') GROUP BY ALL\").fetchall()[:3])" "$file" "$keys"
    rm -rf "$out/merged.csv" "$out/pyperf" "$out/pandas.csv" "$out/duckdb.csv"
done
echo
echo "table in $out/results.md; each command's output and /usr/bin/time -v beside it"
