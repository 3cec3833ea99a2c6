#!/usr/bin/env bash
# Brings the test hosts and Slurm up, checks them the way jmpi's tests use them, and tears
# everything down again (also on failure or Ctrl-C). Prints one line per check and a summary.
#
# Usage: selftest.sh [--keep]   (--keep: leave hosts and Slurm up afterwards)
# Needs: cluster-config/install-deps.sh --ssh --slurm   (Open MPI check runs only if installed)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$HERE/lib.sh"

keep=0
[[ ${1-} == --keep ]] && keep=1
trap '[[ $keep == 1 ]] || "$HERE/hosts-down.sh" --quiet' EXIT

passed=0 failed=0
ms() { echo $((($(date +%s%N) - $1) / 1000000)); }
check() { # check NAME EXPECTED COMMAND...
  local name=$1 want=$2 got t0
  shift 2
  t0=$(date +%s%N)
  got=$("$@" 2>&1) || got="(exit $?) $got"
  if [[ $got == "$want" ]]; then
    passed=$((passed + 1))
    echo "ok   $name ($(ms "$t0") ms)"
  else
    failed=$((failed + 1))
    echo "FAIL $name: expected [$want], got [$got]"
  fi
}
sorted() { "$@" | sort | tr '\n' ' ' | sed 's/ $//'; }

t0=$(date +%s%N)
"$HERE/hosts-up.sh" >/dev/null
echo "hosts-up: $(ms "$t0") ms"
t0=$(date +%s%N)
"$HERE/slurm-up.sh" >/dev/null
echo "slurm-up: $(ms "$t0") ms"
# shellcheck source=/dev/null
source "$DIR/slurm.env"
ssh_cfg=$DIR/ssh_config
on=("$HERE/on-host.sh")

check "ssh h1->h2 hostname" h2 "${on[@]}" h1 ssh -F "$ssh_cfg" h2 hostname
check "ssh h3->h1 resolves h2" "10.231.0.2" "${on[@]}" h3 ssh -F "$ssh_cfg" h1 'getent hosts h2 | cut -d" " -f1'
# shellcheck disable=SC2016 # expanded remotely
check "ssh AcceptEnv JMPI_*" "x1" env JMPI_SELFTEST=x1 "${on[@]}" h1 \
  ssh -o SendEnv=JMPI_SELFTEST -F "$ssh_cfg" h2 'echo $JMPI_SELFTEST'
check "own /dev/shm per host" "no" sh -c "'$HERE/on-host.sh' h2 touch /dev/shm/jmpi-selftest &&
  '$HERE/on-host.sh' h3 sh -c 'test -e /dev/shm/jmpi-selftest && echo yes || echo no';
  '$HERE/on-host.sh' h2 rm -f /dev/shm/jmpi-selftest"
check "root namespace cannot reach hosts" "unreachable" \
  sh -c "ssh -F '$ssh_cfg' h2 true >/dev/null 2>&1 && echo reachable || echo unreachable"
check "sinfo 3 idle" "h1 h2 h3" sorted "${on[@]}" h1 sinfo -h -N -t idle -o %N
check "srun -N3 -n6 --ntasks-per-node=2" "h1 h1 h2 h2 h3 h3" \
  sorted "${on[@]}" h1 srun -Q -N3 -n6 --ntasks-per-node=2 hostname
check "srun from ip netns exec" "h1 h2 h3" sorted ip netns exec jmpi-h1 srun -Q -N3 -n3 hostname
check "srun --mpi=pmi2 PMI_FD" "2" sh -c "'$HERE/on-host.sh' h1 srun -Q --mpi=pmi2 -n2 env | grep -c '^PMI_FD='"
check "srun SLURM_STEP_RESV_PORTS" "2" \
  sh -c "'$HERE/on-host.sh' h1 srun -Q -n2 env | grep -c '^SLURM_STEP_RESV_PORTS=20'"
batch=$DIR/selftest.sbatch
printf '#!/bin/sh\nsrun hostname\n' >"$batch"
check "sbatch --wait" "h1 h2 h3" sh -c "cd '$DIR' && '$HERE/on-host.sh' h1 sbatch -Q --wait -N3 -n3 -o '$DIR/selftest-%j.out' '$batch' && sort '$DIR'/selftest-*.out | tr '\n' ' ' | sed 's/ \$//'"
if command -v mpirun >/dev/null; then
  check "mpirun --hostfile over ssh" "h1 h1 h2 h2 h3 h3" sorted env OMPI_ALLOW_RUN_AS_ROOT=1 \
    OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "${on[@]}" h1 mpirun --hostfile "$DIR/hostfile" -np 6 \
    --bind-to none --mca plm_rsh_agent "ssh -F $ssh_cfg" --mca oob_tcp_if_include "$SUBNET" hostname
fi

t0=$(date +%s%N)
if [[ $keep == 0 ]]; then
  "$HERE/hosts-down.sh" --quiet
  trap - EXIT
  echo "hosts-down: $(ms "$t0") ms"
  left=$(ip netns list | grep -c "^$NS_PREFIX" || true)
  check "nothing left" "0" echo "$left"
fi
echo "selftest: $passed passed, $failed failed"
[[ $failed == 0 ]]
