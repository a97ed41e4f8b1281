#!/usr/bin/env bash
# stop-cluster.sh [DIR]: stop what start-cluster.sh [DIR] started, by the pids it
# recorded; munged only if it was started there. Idempotent.
set -uo pipefail

DIR=$(realpath -m "${1:-${SMIE_SLURM_DIR:-/tmp/smie-slurm}}")
export SLURM_CONF=$DIR/slurm.conf

# Cancel leftover jobs first, so no job processes outlive the daemons.
if [ -f "$SLURM_CONF" ] && command -v squeue >/dev/null; then
  jobs=$(squeue -h -t PD,R,CG -o %i 2>/dev/null)
  if [ -n "$jobs" ]; then
    echo "stop-cluster: cancelling jobs" $jobs
    scancel $jobs 2>/dev/null
    for _ in $(seq 50); do
      [ -z "$(squeue -h -t PD,R,CG -o %i 2>/dev/null)" ] && break
      sleep 0.2
    done
  fi
fi

stop() {  # stop NAME: end the process recorded in DIR/run/NAME.pid, if it still is NAME
  local file=$DIR/run/$1.pid pid
  pid=$(cat "$file" 2>/dev/null) || return 0
  if [ "$(ps -p "$pid" -o comm= 2>/dev/null)" = "$1" ]; then
    echo "stop-cluster: stopping $1 ($pid)"
    kill -TERM "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$file"
}
stop slurmd
stop slurmctld
stop munged

if [ "$(readlink /etc/slurm/slurm.conf 2>/dev/null)" = "$SLURM_CONF" ]; then
  rm -f /etc/slurm/slurm.conf
fi
echo "stop-cluster: stopped ($DIR)"
