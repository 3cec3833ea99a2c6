#!/usr/bin/env bash
# Stops what slurm-up.sh started: cancels jobs, stops slurmd/slurmctld/munged by pid file, kills
# step daemons (slurmstepd) left in the test-host namespaces by PID, and removes Slurm's state.
# Leaves the hosts (sshd, namespaces) up. Safe to run when Slurm is not up.
#
# Usage: slurm-down.sh [--quiet]      Env: JMPI_TESTHOSTS_DIR (default /tmp/jmpi-testhosts)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$HERE/lib.sh"

quiet=0
[[ ${1-} == --quiet ]] && quiet=1
say() { [[ $quiet == 1 ]] || echo "slurm-down: $*"; }

need_root
check_dir
S=$DIR/slurm

# Cancel jobs first so slurmd ends their steps and tasks (bounded).
if pid_alive "$S/slurmctld.pid" && [[ -s $DIR/slurm.conf && -e /run/netns/$(ns_of h1) ]]; then
  export SLURM_CONF=$DIR/slurm.conf
  if [[ -n $(on_host h1 squeue -h -o %i 2>/dev/null) ]]; then
    on_host h1 scancel --quiet --full --partition=debug 2>/dev/null || true
    for ((i = 0; i < 30; i++)); do
      [[ -z $(on_host h1 squeue -h -o %i 2>/dev/null) ]] && break
      sleep 0.2
    done
  fi
fi

for h in "${HOSTS[@]}"; do
  stop_pidfile "$S/slurmd-$h.pid"
done
stop_pidfile "$S/slurmctld.pid"
stop_pidfile "$S/munge/munged.pid"

# slurmstepd outlives slurmd; kill any left in our namespaces (by PID, matched on its binary).
for h in "${HOSTS[@]}"; do
  ns=$(ns_of "$h")
  [[ -e /run/netns/$ns ]] || continue
  for pid in $(ip netns pids "$ns" 2>/dev/null); do
    if [[ $(readlink "/proc/$pid/exe" 2>/dev/null) == */slurmstepd ]]; then
      say "killing slurmstepd $pid on $h"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
done

if [[ -e $DIR/$MARKER ]]; then
  rm -rf "$S" "$DIR/slurm.conf" "$DIR/slurm.env"
fi
say "down"
