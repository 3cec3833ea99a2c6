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
ROUNDS=${1:-3}
OUT=${2:-$ROOT/bench/results/session4/rma-raw}
mkdir -p "$OUT"
SIZES=${SIZES:-8:8}
BUDGET=${BUDGET:-1.0}
summary=$OUT/summary.tsv
[[ -f $summary ]] || printf 'round\ttest\tsystem\tsize\tavg_us\tp50_us\tp99_us\tmax_us\tload1\n' >"$summary"

run() { # round test system cmd...
  local round=$1 test=$2 sys=$3; shift 3
  local log=$OUT/$test-$sys-r$round.txt
  heavy bash -c 'echo "# load $(cut -d" " -f1-3 /proc/loadavg)"; timeout 120 "$@"' _ "$@" >"$log" 2>&1 || echo "# failed: $?" >>"$log"
  local load; load=$(awk '/^# load/{print $3; exit}' "$log")
  awk -v r="$round" -v t="$test" -v s="$sys" -v l="$load" '/^[0-9]/{printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r, t, s, $1, $2, $3, $4, $5, l}' "$log" >>"$summary"
}

for ((round = 1; round <= ROUNDS; round++)); do
  for test in put_latency get_latency; do
    run "$round" "$test" jmpi-tcp "$ROOT/bin/jmpirun" -np 2 --transport tcp --timeout 100 --bench "$test" -m "$SIZES" -t "$BUDGET"
    MPIRUN_EXTRA="--mca osc pt2pt" run "$round" "$test" openmpi-tcp "$ROOT/bench/scripts/ompi-run.sh" "$test" 2 tcp -m "$SIZES" -t "$BUDGET"
    run "$round" "$test" jmpi-shm "$ROOT/bin/jmpirun" -np 2 --transport shm --timeout 100 --bench "$test" -m "$SIZES" -t "$BUDGET"
    MPIRUN_EXTRA="--mca osc pt2pt" run "$round" "$test" openmpi-shm "$ROOT/bench/scripts/ompi-run.sh" "$test" 2 shm -m "$SIZES" -t "$BUDGET"
    run "$round" "$test" openmpi-shm-oscsm "$ROOT/bench/scripts/ompi-run.sh" "$test" 2 shm -m "$SIZES" -t "$BUDGET"
  done
  run "$round" shm_store jmpi-shm "$ROOT/bin/jmpirun" -np 2 --transport shm --timeout 100 --bench shm_store -m 8:4194304 -t 0.2
done
echo "wrote $summary"
