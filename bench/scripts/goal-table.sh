#!/usr/bin/env bash
# Issue 13's goal table with fixed iteration counts on both sides: jmpi (bin/jmpirun --bench) and Open MPI
# (bench/c/osu under mpirun), alternating per row, ROUNDS rounds. Raw output (one "## rN system test npN" header and
# the benchmark's last line per run) goes to stdout; summarise with bench/scripts/goal-table.py. Run it on a quiet
# machine only (nothing else running) and keep the uptime lines it prints.
#   bench/scripts/goal-table.sh [ROUNDS] > raw.txt
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-2}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
[ -x bench/c/osu ] || make -s -C bench/c >/dev/null
# test np size iterations
ROWS=(
  "latency 2 8 100000" "barrier 2 0 100000" "bcast 2 8 100000" "allreduce 2 8 100000"
  "barrier 4 0 100000" "bcast 4 8 100000" "allreduce 4 8 100000"
  "bcast 2 1048576 200" "bcast 4 1048576 200" "allreduce 2 8388608 200" "allreduce 4 8388608 100"
  "bw 2 1048576 200"
)
uptime
for r in $(seq "$ROUNDS"); do
  for row in "${ROWS[@]}"; do
    read -r test np size iters <<<"$row"
    m="$size:$size"; [ "$size" = 0 ] && m="0:0"
    for t in shm tcp; do
      echo "## r$r jmpi-$t $test np$np"
      bin/jmpirun -np "$np" --transport "$t" --bench "$test" -m "$m" -i "$iters" 2>&1 | grep -v '^#' | tail -1
      btl="vader,self"; extra=()
      [ "$t" = tcp ] && btl="tcp,self" && extra=(--mca btl_tcp_if_include lo)
      echo "## r$r ompi-$t $test np$np"
      mpirun -np "$np" --oversubscribe --mca pml ob1 --mca btl "$btl" "${extra[@]}" bench/c/osu "$test" -m "$m" \
        -i "$iters" 2>&1 | grep -v '^#' | tail -1
    done
  done
done
uptime
