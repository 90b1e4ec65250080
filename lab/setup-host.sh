#!/usr/bin/env bash
# Installs the Debian packages in lab/packages.txt that are missing on this host, plus any
# host-only tools named as arguments (e.g. bubblewrap mmdebstrap for the container lab).
# Idempotent: does nothing (and needs no network) when everything is installed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$here/packages.txt" | grep -v '^$')
wanted+=("$@")
missing=()
for pkg in "${wanted[@]}"; do
    status="$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)"
    [[ "$status" == ii* ]] || missing+=("$pkg")
done
if ((${#missing[@]} == 0)); then
    echo "lab: host packages present (${#wanted[@]} from lab/packages.txt)"
    exit 0
fi
echo "lab: installing ${#missing[@]} missing package(s): ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null; then sudo="sudo"; else
        echo "lab: not root and no sudo; run as root: apt-get install -y ${missing[*]}" >&2
        exit 2
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
