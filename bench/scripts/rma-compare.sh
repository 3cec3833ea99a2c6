#!/usr/bin/env bash
# One-sided latency, jmpi vs Open MPI, by the same method (osu_put_latency/osu_get_latency, flush variant: rank 0 locks
# rank 1 once, a sample is one put/get of SIZE bytes + flush; see bench/c/osu.c). Alternates systems within each round;
# every run goes through `heavy` (the machine's benchmark lock) and records the load average beside its figure.
#   bench/scripts/rma-compare.sh [ROUNDS] [OUT_DIR]      (default 3, bench/results/session4/rma-raw)
# Systems: jmpi-tcp, jmpi-shm (bin/jmpirun --transport T --bench TEST); openmpi-tcp (btl tcp,self + osc pt2pt: the
# one-sided component over the same TCP transport; the default would pick osc sm for ranks of one host);
# openmpi-shm (btl vader,self + osc pt2pt, messages over shared memory, as jmpi-shm) and openmpi-shm-oscsm (vader with
# the default osc sm: direct loads/stores in a shared segment, the memory-speed bound). Also jmpi shm_store (MB/s).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [[ ${1-} == --round ]]; then ROUNDS=1; OUT=$3; else ROUNDS=${1:-3}; OUT=${2:-$ROOT/bench/results/session4/rma-raw}; fi
mkdir -p "$OUT"
SIZES=${SIZES:-8:8}
BUDGET=${BUDGET:-1.0}
summary=$OUT/summary.tsv
[[ -f $summary ]] || printf 'round\ttest\tsystem\tsize\tavg_us\tp50_us\tp99_us\tmax_us\tload1\n' >"$summary"

one() { # round test system cmd... (inside the round's heavy lock)
  local round=$1 test=$2 sys=$3; shift 3
  local log=$OUT/$test-$sys-r$round.txt load
  load=$(cut -d" " -f1 /proc/loadavg)
  { echo "# load $(cut -d" " -f1-3 /proc/loadavg)"; timeout 120 "$@" 2>&1 || echo "# failed: $?"; } >"$log"
  awk -v r="$round" -v t="$test" -v s="$sys" -v l="$load" '/^[0-9]/{printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r, t, s, $1, $2, $3, $4, $5, l}' "$log" >>"$summary"
}

round() { # one round, every system alternating, under one hold of the heavy lock (the machine stays quiet)
  local round=$1
  for test in put_latency get_latency; do
    one "$round" "$test" jmpi-tcp "$ROOT/bin/jmpirun" -np 2 --transport tcp --timeout 100 --bench "$test" -m "$SIZES" -t "$BUDGET"
    MPIRUN_EXTRA="--mca osc pt2pt" one "$round" "$test" openmpi-tcp "$ROOT/bench/scripts/ompi-run.sh" "$test" 2 tcp -m "$SIZES" -t "$BUDGET"
    one "$round" "$test" jmpi-shm "$ROOT/bin/jmpirun" -np 2 --transport shm --timeout 100 --bench "$test" -m "$SIZES" -t "$BUDGET"
    MPIRUN_EXTRA="--mca osc pt2pt" one "$round" "$test" openmpi-shm "$ROOT/bench/scripts/ompi-run.sh" "$test" 2 shm -m "$SIZES" -t "$BUDGET"
    one "$round" "$test" openmpi-shm-oscsm "$ROOT/bench/scripts/ompi-run.sh" "$test" 2 shm -m "$SIZES" -t "$BUDGET"
  done
  one "$round" shm_store jmpi-shm "$ROOT/bin/jmpirun" -np 2 --transport shm --timeout 100 --bench shm_store -m 8:4194304 -t 0.1
}

if [[ ${1-} == --round ]]; then
  round "$2"
  exit 0
fi
for ((r = 1; r <= ROUNDS; r++)); do
  heavy "$0" --round "$r" "$OUT"
done
echo "wrote $summary"
