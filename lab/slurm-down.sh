#!/usr/bin/env bash
# Stops the one-node Slurm that lab/slurm-up.sh started (slurmd, slurmctld, munged, by the
# pid files in FTLAB_SLURM_DIR, default /tmp/ftlab-slurm) and waits for them to exit.
set -uo pipefail
dir="${FTLAB_SLURM_DIR:-/tmp/ftlab-slurm}"
for daemon in slurmd slurmctld munged; do
    pidfile="$dir/run/$daemon.pid"
    [[ -s "$pidfile" ]] || continue
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null && grep -q "$daemon" "/proc/$pid/comm" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
        echo "slurm-down: stopped $daemon ($pid)"
    fi
    rm -f "$pidfile"
done
