#!/usr/bin/env bash
# Starts a one-node Slurm on this host for ftlab's Slurm test (and for trying `ftlab slurm`
# by hand): installs Debian's slurm-wlm and munge if missing, writes a munge key and a
# slurm.conf for this host and its CPUs (no cgroups: proctrack/linuxproc, task/none), starts
# munged, slurmctld and slurmd directly (no systemd) and waits until sinfo shows the node
# idle. Everything lives in one folder (FTLAB_SLURM_DIR, default /tmp/ftlab-slurm); clients
# find the cluster through SLURM_CONF, which the last line prints. lab/slurm-down.sh stops it.
# On failure: exit 1 with the daemons' log tails.
set -euo pipefail
# The daemons outlive this script: they must not hold the caller's descriptors (a caller that
# waits for its pipes to close, or for a descriptor it handed down, would wait for ever).
for fd in /proc/$$/fd/*; do
    fd="${fd##*/}"
    if ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null || true; fi
done
here="$(cd "$(dirname "$0")" && pwd)"
dir="${FTLAB_SLURM_DIR:-/tmp/ftlab-slurm}"
deadline_s="${FTLAB_SLURM_DEADLINE:-60}"

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    "$here/setup-host.sh" slurm-wlm munge >&2
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "slurm-up: run as root (slurmd starts jobs as their users)" >&2
    exit 2
fi
"$here/slurm-down.sh" >/dev/null 2>&1 || true

mkdir -p "$dir"/{munge,state,spool,log,run}
chmod 0700 "$dir/munge"
conf="$dir/slurm.conf"
socket="$dir/munge/munge.socket"
host="$(hostname -s)"

fail() {
    echo "slurm-up: $1" >&2
    for log in "$dir"/log/munged.log "$dir"/log/slurmctld.log "$dir"/log/slurmd.log; do
        [[ -f "$log" ]] && { echo "--- tail of $log" >&2; tail -n 20 "$log" >&2; }
    done
    exit 1
}

if [[ ! -s "$dir/munge/munge.key" ]]; then
    dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
fi
chmod 0400 "$dir/munge/munge.key"
munged --force --key-file="$dir/munge/munge.key" --socket="$socket" --pid-file="$dir/run/munged.pid" \
    --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed" </dev/null >/dev/null 2>&1 \
    || fail "munged did not start"

# This node as slurmd sees it (CPUs, sockets, cores, threads, memory), so the two agree.
node="$(slurmd -C | head -n 1)"
[[ "$node" == NodeName=* ]] || fail "slurmd -C printed no node line: $node"
cat >"$conf" <<CONF
# One-node Slurm for ftlab's tests, written by lab/slurm-up.sh.
ClusterName=ftlab
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.txt
JobAcctGatherType=jobacct_gather/linux
MinJobAge=3600
$node State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$conf"
slurmctld -f "$conf" </dev/null >/dev/null 2>&1 || fail "slurmctld did not start"
slurmd -f "$conf" </dev/null >/dev/null 2>&1 || fail "slurmd did not start"

start=$SECONDS
until [[ "$(sinfo -h -N -o '%T' 2>/dev/null | head -n 1)" == idle ]]; do
    ((SECONDS - start < deadline_s)) || fail "the node is not idle after ${deadline_s}s (sinfo: $(sinfo -h -N 2>&1 | head -n 3))"
    sleep 1
done
sinfo >&2
echo "export SLURM_CONF=$conf"
