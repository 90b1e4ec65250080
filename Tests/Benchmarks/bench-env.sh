# Sourced by the benchmark scripts: `source "$(dirname "$0")/bench-env.sh" "${1:-}"`.
# Sets here (Tests/Benchmarks), repo (the checkout), out (the folder given, else a new one
# under /tmp named after the script), ftlab (FTLAB, else the release build, else the debug
# one) and cache (FTLAB_CACHE, else ftlab's default cache folder).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="${1:-$(mktemp -d "/tmp/$(basename "$0" .sh).XXXXXX")}"
mkdir -p "$out"
ftlab="${FTLAB:-$repo/.build/release/ftlab}"
[ -x "$ftlab" ] || ftlab="$repo/.build/debug/ftlab"
cache="${FTLAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ftlab}"
