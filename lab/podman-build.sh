#!/usr/bin/env bash
# Builds the lab image from lab/Containerfile with podman (ENGINE=docker for docker).
#
# By default the base image is the lab's own rootfs tarball (`ftlab lab rootfs` builds it),
# checked against its recorded sha256 and imported, so no registry is needed and the build
# runs with --network=none; the image is tagged ftlab-lab:<first 12 of the sha256>. With
# BASE=docker.io/library/debian:bookworm it installs the package list from the network instead.
#
#   lab/podman-build.sh                 FTLAB_BIN=path/to/ftlab (default .build/release/ftlab,
#                                       built with swift build -c release --static-swift-stdlib)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cache="${FTLAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ftlab}"
engine="${ENGINE:-podman}"
ftlab="${FTLAB_BIN:-$repo/.build/release/ftlab}"

fail() { echo "lab: $*" >&2; exit 2; }
command -v "$engine" >/dev/null || fail "$engine is not installed; install it with: apt-get install $engine"
[[ -x "$ftlab" ]] || fail "no ftlab binary at $ftlab; build it with: swift build -c release --static-swift-stdlib"
[[ "$engine" == podman ]] && export CONTAINERS_CONF="${CONTAINERS_CONF:-$repo/lab/podman/containers.conf}"

network=()
if [[ -z "${BASE:-}" ]]; then
    lab="$cache/lab"
    [[ -f "$lab/rootfs.tar" ]] || fail "no rootfs at $lab/rootfs.tar; build it with: ftlab lab rootfs (or set BASE)"
    (cd "$lab" && sha256sum --quiet --check rootfs.tar.sha256) \
        || fail "refusing $lab/rootfs.tar: its sha256 is not the recorded one; rebuild with: ftlab lab rootfs --force"
    lab_id="$(cut -d' ' -f1 "$lab/rootfs.tar.sha256")"
    base="localhost/ftlab-rootfs:${lab_id:0:12}"
    "$engine" image inspect "$base" >/dev/null 2>&1 || "$engine" import --quiet "$lab/rootfs.tar" "$base" >/dev/null
    network=(--network=none)
else
    base="$BASE"
    lab_id="unpinned:$BASE"
fi
image="ftlab-lab:${lab_id:0:12}"
[[ -n "${BASE:-}" ]] && image="ftlab-lab:unpinned"

# The context: the binary, the corpus with its revision, lab/, and the pinned source if cached.
context="$cache/lab/context"
rm -rf "$context"
mkdir -p "$context/sources"
cp "$ftlab" "$context/ftlab"
cp -r "$repo/Workloads" "$repo/lab" "$context/"
rev="$(git -C "$repo" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
[[ -n "$(git -C "$repo" status --porcelain --untracked-files=no -- Workloads 2>/dev/null)" ]] && rev="$rev-dirty"
echo "$rev" > "$context/Workloads/.suite-rev"
[[ -d "$cache/sources" ]] && cp "$cache/sources/"*.orig.tar.* "$context/sources/" 2>/dev/null || true

"$engine" build "${network[@]}" --build-arg "BASE=$base" --build-arg "LAB_ID=$lab_id" \
    -f "$repo/lab/Containerfile" -t "$image" "$context"
echo "lab: image $image (lab id $lab_id)"
