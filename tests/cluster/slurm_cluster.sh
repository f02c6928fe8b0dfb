#!/usr/bin/env bash
# A single-node Slurm 22.05 cluster for the cluster tests (a ctest fixture):
#   slurm_cluster.sh start DIR   munged, slurmctld and slurmd with a minimal slurm.conf in a fresh
#                                /tmp folder; writes its path to DIR/conf once the node is idle
#   slurm_cluster.sh stop DIR    stops every daemon by its pid file and removes the folders
# Settings that work without systemd and cgroups (proctrack/linuxproc, task/none, no accounting).
# When the cluster cannot start (not root, packages missing, a daemon fails), `start` writes the
# reason to DIR/unavailable and exits 0: the tests skip and say why.
set -uo pipefail
action=${1:?start or stop}
dir=${2:?directory}

unavailable() { echo "$*" >"$dir/unavailable"; bash "$0" stop-daemons "$dir"; exit 0; }

case "$action" in
  start)
    bash "$0" stop "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] || unavailable "Slurm's daemons need root (the tests run as $(id -un))"
    for b in munged slurmctld slurmd sbatch squeue; do
      command -v "$b" >/dev/null || unavailable "$b is not installed (scripts/test.sh installs slurm-wlm and munge)"
    done
    home=$(mktemp -d /tmp/eegsweep-slurm.XXXXXX)
    echo "$home" >"$dir/home"
    chmod 755 "$home"
    install -d -o munge -g munge -m 0755 "$home/munge"
    [ -f /etc/munge/munge.key ] || unavailable "/etc/munge/munge.key is missing"
    runuser -u munge -- munged --socket="$home/munge/munge.socket" --pid-file="$home/munge/munged.pid" \
      --log-file="$home/munge/munged.log" --seed-file="$home/munge/munged.seed" ||
      unavailable "munged did not start"
    install -d -o slurm -g slurm "$home/state" "$home/spool" "$home/log"
    cat >"$home/slurm.conf" <<CONF
ClusterName=eegsweep-test
SlurmctldHost=$(hostname -s)
SlurmUser=slurm
AuthType=auth/munge
AuthInfo=socket=$home/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$home/state
SlurmdSpoolDir=$home/spool
SlurmctldPidFile=$home/slurmctld.pid
SlurmdPidFile=$home/slurmd.pid
SlurmctldLogFile=$home/log/slurmctld.log
SlurmdLogFile=$home/log/slurmd.log
SlurmctldPort=$((20000 + RANDOM % 20000))
SlurmdPort=$((40000 + RANDOM % 20000))
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
NodeName=$(hostname -s) NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$(hostname -s) Default=YES MaxTime=INFINITE State=UP
CONF
    export SLURM_CONF="$home/slurm.conf"
    slurmctld -f "$SLURM_CONF" || unavailable "slurmctld did not start: $(tail -3 "$home/log/slurmctld.log" 2>/dev/null)"
    slurmd -f "$SLURM_CONF" || unavailable "slurmd did not start: $(tail -3 "$home/log/slurmd.log" 2>/dev/null)"
    for _ in $(seq 1 150); do
      state=$(sinfo -h -o %t 2>/dev/null | head -1)
      if [ "$state" = "idle" ]; then echo "$SLURM_CONF" >"$dir/conf"; exit 0; fi
      sleep 0.2
    done
    unavailable "the node never became idle (state '${state:-}'): $(tail -3 "$home/log/slurmctld.log")"
    ;;
  stop-daemons | stop)
    home=$(cat "$dir/home" 2>/dev/null)
    if [ -n "$home" ]; then
      for pid_file in "$home/slurmd.pid" "$home/slurmctld.pid" "$home/munge/munged.pid"; do
        [ -f "$pid_file" ] || continue
        pid=$(cat "$pid_file")
        kill "$pid" 2>/dev/null
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      done
    fi
    if [ "$action" = stop ]; then
      [ -n "$home" ] && case "$home" in /tmp/eegsweep-slurm.*) rm -rf "$home" ;; esac
      rm -rf "$dir"
    fi
    ;;
esac
