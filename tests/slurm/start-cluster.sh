#!/usr/bin/env bash
# start-cluster.sh [DIR]: a one-node Slurm cluster on localhost, for tests/test_slurm.py.
#
# Needs root and Debian/Ubuntu (installs slurmctld, slurmd, slurm-client and munge with
# apt-get when missing); no systemd. Idempotent: daemons already running are kept.
# Config, state, logs and pid files live in DIR (default $SMIE_SLURM_DIR or
# /tmp/smie-slurm); /etc/slurm/slurm.conf links to DIR's config so that sinfo, sbatch
# and the Snakemake executor find the cluster. Stop it with stop-cluster.sh [DIR].
#
# Partitions: cpu (default) and gpu, both on this node. The node advertises
# SMIE_SLURM_GPUS (2) fake GPUs, SMIE_SLURM_CPUS (16) CPUs and SMIE_SLURM_MEM_MB (256000)
# MB: more than the machine may have, so that the real profile's requests (8 CPUs per
# GPU, memory growing with each attempt) can be scheduled here. Jobs are tiny and
# nothing is enforced (no cgroups), so over-advertising is harmless.
set -euo pipefail

DIR=$(realpath -m "${1:-${SMIE_SLURM_DIR:-/tmp/smie-slurm}}")
GPUS=${SMIE_SLURM_GPUS:-2}
CPUS=${SMIE_SLURM_CPUS:-16}
MEM_MB=${SMIE_SLURM_MEM_MB:-256000}
NODE=$(hostname -s)
say() { echo "start-cluster: $*"; }

[ "$(id -u)" = 0 ] || { echo "start-cluster: must run as root" >&2; exit 1; }

# ------------------------------------------------------------------ packages
missing=0
for cmd in slurmctld slurmd sbatch squeue sinfo scontrol munged munge unmunge; do
  command -v "$cmd" >/dev/null || missing=1
done
if [ "$missing" = 1 ]; then
  command -v apt-get >/dev/null || { echo "start-cluster: Slurm missing and no apt-get" >&2; exit 1; }
  say "installing slurmctld slurmd slurm-client munge"
  export DEBIAN_FRONTEND=noninteractive
  # another apt may hold the lock for a while (e.g. unattended upgrades on CI machines)
  for try in 1 2 3 4 5 6 7 8 9 10; do
    apt-get update -q </dev/null && apt-get install -y -q --no-install-recommends \
      slurmctld slurmd slurm-client munge </dev/null && break
    [ "$try" = 10 ] && { echo "start-cluster: apt-get failed" >&2; exit 1; }
    say "apt-get failed, retrying in 10 s"; sleep 10
  done
fi

mkdir -p "$DIR"/{state,spool,log,run,dev}

# ------------------------------------------------------------------ munge (authentication)
install -d -o munge -g munge -m 0700 /etc/munge /var/log/munge
install -d -o munge -g munge -m 0711 /var/lib/munge
install -d -o munge -g munge -m 0755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then
  say "creating the munge key"
  head -c 1024 /dev/urandom >/etc/munge/munge.key
fi
chown munge:munge /etc/munge/munge.key && chmod 0400 /etc/munge/munge.key
munge_ok() { munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; }
if ! munge_ok; then
  say "starting munged"
  rm -f /run/munge/munged.pid
  runuser -u munge -- /usr/sbin/munged </dev/null
  for _ in $(seq 50); do munge_ok && break; sleep 0.1; done
  munge_ok || { echo "start-cluster: munged does not answer" >&2; exit 1; }
  # only a munged we started is ours to stop
  cp /run/munge/munged.pid "$DIR/run/munged.pid"
fi

# ------------------------------------------------------------------ config
# Fake GPUs: gres.conf wants character devices (regular files are refused), and takes
# each GPU's index from the trailing digit of its name, which becomes the job's
# CUDA_VISIBLE_DEVICES.
for ((i = 0; i < GPUS; i++)); do ln -sfn /dev/null "$DIR/dev/nvidia$i"; done
node_gres=""
if [ "$GPUS" -gt 0 ]; then
  node_gres="Gres=gpu:$GPUS"
  echo "NodeName=$NODE Name=gpu File=$DIR/dev/nvidia[0-$((GPUS - 1))]" >"$DIR/gres.conf.new"
else
  : >"$DIR/gres.conf.new"
fi

cat >"$DIR/slurm.conf.new" <<EOF
# written by tests/slurm/start-cluster.sh: a one-node test cluster
ClusterName=smie-test
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
# No cgroups in containers: track processes by pid, enforce no limits.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
# No slurmdbd, so sacct knows nothing: the executor must poll squeue, which sees a job
# for MinJobAge seconds after it ended (the tests read finished jobs with scontrol after
# the demo DAG's run, half an hour on two cores: 4 hours leaves room). The plugin wants
# MinJobAge >= 3 x its init-seconds-before-status-checks (40 by default) or it
# silently returns to sacct.
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$DIR/log/jobcomp.txt
MinJobAge=14400
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=2
MpiDefault=none
# The advertised CPUs and memory exceed the machine's: trust this file, not the hardware.
SlurmdParameters=config_overrides
ReturnToService=2
InactiveLimit=0
# Slurm's default: SIGTERM at the walltime, SIGKILL 30 s later (a loaded machine needs
# the time to finish its step and save the checkpoint)
KillWait=30
GresTypes=gpu
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS Sockets=1 CoresPerSocket=$CPUS ThreadsPerCore=1 RealMemory=$MEM_MB $node_gres State=UNKNOWN
PartitionName=cpu Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
PartitionName=gpu Nodes=$NODE Default=NO MaxTime=INFINITE State=UP
EOF

changed=0
for f in slurm.conf gres.conf; do
  if cmp -s "$DIR/$f.new" "$DIR/$f"; then rm "$DIR/$f.new"; else mv "$DIR/$f.new" "$DIR/$f"; changed=1; fi
done
export SLURM_CONF=$DIR/slurm.conf
mkdir -p /etc/slurm
if [ -e /etc/slurm/slurm.conf ] && [ ! -L /etc/slurm/slurm.conf ]; then
  say "warning: /etc/slurm/slurm.conf is a real file, left alone; clients need SLURM_CONF=$SLURM_CONF"
else
  ln -sfn "$SLURM_CONF" /etc/slurm/slurm.conf
fi

# ------------------------------------------------------------------ daemons
running() {  # running NAME: the pid in DIR/run/NAME.pid is alive and is NAME
  local pid
  pid=$(cat "$DIR/run/$1.pid" 2>/dev/null) || return 1
  [ "$(ps -p "$pid" -o comm= 2>/dev/null)" = "$1" ]
}
if running slurmctld; then
  [ "$changed" = 1 ] && { say "config changed: reconfiguring"; scontrol reconfigure || true; }
else
  say "starting slurmctld"
  slurmctld -i -f "$SLURM_CONF" </dev/null
fi
for _ in $(seq 100); do scontrol ping 2>/dev/null | grep -q UP && break; sleep 0.2; done
scontrol ping | grep -q UP || { tail -n 20 "$DIR/log/slurmctld.log" >&2; exit 1; }
if ! running slurmd; then
  say "starting slurmd"
  slurmd -f "$SLURM_CONF" </dev/null
fi

# ------------------------------------------------------------------ wait for the node
state=""
for _ in $(seq 150); do
  state=$(sinfo -h -N -n "$NODE" -o %T 2>/dev/null | head -n 1)
  case $state in
    idle | mixed | allocated | completing) break ;;
    down* | drain* | fail*) scontrol update NodeName="$NODE" State=RESUME 2>/dev/null || true ;;
  esac
  sleep 0.2
done
case $state in
  idle | mixed | allocated | completing) ;;
  *) echo "start-cluster: node $NODE is '$state', not ready" >&2
     tail -n 20 "$DIR/log/slurmd.log" "$DIR/log/slurmctld.log" >&2; exit 1 ;;
esac
sinfo -o '%P %a %D %T %c %m %G %N'
say "cluster up in $DIR"
