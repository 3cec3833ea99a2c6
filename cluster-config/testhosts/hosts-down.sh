#!/usr/bin/env bash
# Tears down what hosts-up.sh (and slurm-up.sh) started: Slurm and sshd daemons (by pid file),
# then any process still living in a test-host namespace (by PID, listed with `ip netns pids`:
# ranks started over ssh or srun), the namespaces, the bridge, the root-namespace route,
# /etc/netns entries and the state directory. Safe to run when nothing is up.
#
# Usage: hosts-down.sh [--quiet]      Env: JMPI_TESTHOSTS_DIR (default /tmp/jmpi-testhosts)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$HERE/lib.sh"

quiet=0
[[ ${1-} == --quiet ]] && quiet=1
say() { [[ $quiet == 1 ]] || echo "hosts-down: $*"; }

need_root
check_dir

if [[ -d $DIR/slurm ]]; then
  "$HERE/slurm-down.sh" --quiet || true
fi

for h in "${HOSTS[@]}"; do
  stop_pidfile "$DIR/$h/sshd.pid"
done

# Whatever is left inside our namespaces was started there (ssh sessions, ranks, slurmstepd).
for ns in "${HOSTS[@]/#/$NS_PREFIX}" "$BRIDGE_NS"; do
  [[ -e /run/netns/$ns ]] || continue
  pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')
  if [[ -n ${pids// /} ]]; then
    say "killing processes left in $ns: $pids"
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    for ((i = 0; i < 20; i++)); do
      [[ -z $(ip netns pids "$ns" 2>/dev/null) ]] && break
      sleep 0.1
    done
    pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')
    # shellcheck disable=SC2086
    [[ -z ${pids// /} ]] || kill -KILL $pids 2>/dev/null || true
  fi
done

for ns in "${HOSTS[@]/#/$NS_PREFIX}" "$BRIDGE_NS"; do
  if [[ -e /run/netns/$ns ]]; then
    ip netns del "$ns" 2>/dev/null || say "could not delete namespace $ns"
  fi
  if [[ -d /etc/netns/$ns ]]; then
    rm -f "/etc/netns/$ns/hosts"
    rmdir "/etc/netns/$ns" 2>/dev/null || true
  fi
done
rmdir /etc/netns 2>/dev/null || true

while ip route del unreachable "$SUBNET" 2>/dev/null; do :; done

# The hosts' /dev/shm directories (their processes are gone: nothing maps them any more).
case "$SHM_ROOT" in
  /dev/shm/?*) rm -rf "$SHM_ROOT" ;;
esac

if [[ -d $DIR ]]; then
  if [[ -e $DIR/$MARKER ]]; then
    rm -rf "$DIR"
  else
    say "leaving $DIR alone: it was not made by hosts-up.sh (no $MARKER)"
  fi
fi
say "down"
