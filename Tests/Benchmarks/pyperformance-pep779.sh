#!/usr/bin/env bash
# PEP 779's own measure on the lab pair: pyperformance (from PyPI) on the GIL and the
# free-threaded build of one release, a subset of benchmarks with no third-party C extension
# (they install on the free-threaded build), `--fast`, saved as JSON that `ftlab report` and
# `ftlab compare` read beside ftlab's own CSVs.
#
#   Tests/Benchmarks/pyperformance-pep779.sh [VERSION] [OUT_DIR]
#   ftlab report OUT_DIR/gil.json OUT_DIR/ft.json results/full.csv -o report.html
#
# The subset: pure-Python benchmarks (and sqlite3/json/pickle/re from the stdlib) whose
# requirements are pyperf alone, so nothing is left out for a wheel the free-threaded ABI lacks.
# Left out: the ones that need third-party packages (django_template, sqlalchemy, sympy,
# networkx, docutils, sphinx, mako, chameleon, genshi, dulwich, tornado, fastapi, xdsl, mdp,
# html5lib, sqlglot, tomli, coverage, bpe_tokeniser, asyncio_websockets, 2to3) and the ones that
# time interpreter start-up or the network rather than steady-state code (python_startup*,
# asyncio_tcp*, async_tree_io*, concurrent_imap).
set -euo pipefail
version="${1:-3.14.7}"
out="${2:-results/local/pyperformance-$version}"
cache="${FTLAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ftlab}"
series="${version%.*}"
gil="$cache/pythons/cpython-$version/bin/python$series"
ft="$cache/pythons/cpython-${version}t/bin/python${series}t"
benchmarks="chaos,comprehensions,coroutines,crypto_pyaes,deepcopy,deltablue,fannkuch,float,generators,go,hexiom,json_dumps,json_loads,logging,nbody,nqueens,pathlib,pickle_pure_python,pidigits,pyflate,raytrace,regex_compile,regex_effbot,regex_v8,richards,scimark,spectral_norm,sqlite_synth,telco,unpack_sequence,unpickle_pure_python,gc_collect"
venv="${PYPERFORMANCE_VENV:-$cache/venvs/pyperformance}"
for python in "$gil" "$ft"; do
    [ -x "$python" ] || { echo "no $python: build the pair with ftlab lab pythons --version $version" >&2; exit 2; }
done
if [ ! -x "$venv/bin/pyperformance" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet pyperformance
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"
# pyperformance makes its venvs under ./venv: keep them out of the checkout.
mkdir -p "$cache/venvs/pyperformance-runs"
cd "$cache/venvs/pyperformance-runs"
echo "pyperformance $("$venv/bin/pyperformance" --version | awk '{print $2}') on CPython $version; load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
# The GIL build first, then the free-threaded one; each writes its own file.
for side in gil ft; do
    python="$gil"; [ "$side" = ft ] && python="$ft"
    start=$(date +%s)
    "$venv/bin/pyperformance" run --fast --python="$python" -b "$benchmarks" -o "$out/$side.json"
    echo "$side: $(( $(date +%s) - start )) s; load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done
"$venv/bin/python" -m pyperf compare_to "$out/gil.json" "$out/ft.json" --table --quiet || true
