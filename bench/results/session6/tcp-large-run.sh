#!/bin/bash
# Alternating comparison for bench/results/session6/tcp-large.md: main's build (copied to $BASE), this tree, Open MPI.
# Run under heavy from the repository root: heavy bench/results/session6/tcp-large-run.sh BASE_HOME
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
OMPI="mpirun -np 2 --oversubscribe --mca pml ob1 --mca btl tcp,self --mca btl_tcp_if_include lo bench/c/osu"
B=${1:?main build home}/bin/jmpirun
N=bin/jmpirun
run() { local label=$1; shift; nstat -n 2>/dev/null
  local out; out=$("$@" 2>&1 | grep -v '^#' | grep -v 'Picked up' | tr '\n' '|')
  echo "$label | load $(uptime | sed 's/.*average: //') | $out | $(nstat 2>/dev/null | grep -E 'TcpRetransSegs|TCPOFOQueue' | tr -s ' ' | cut -d' ' -f1,2 | tr '\n' ' ')"; }
for r in 1 2; do
  echo "== round $r $(date -u +%H:%M:%S)"
  for s in main new openmpi; do
    case $s in main) J="$B -np 2 --transport tcp --bench" ;; new) J="$N -np 2 --transport tcp --bench" ;; openmpi) J="$OMPI" ;; esac
    run "bcast1M $s" $J bcast -m 1048576:1048576 -i 2000
  done
  for s in main new openmpi; do
    case $s in main) J="$B -np 2 --transport tcp --bench" ;; new) J="$N -np 2 --transport tcp --bench" ;; openmpi) J="$OMPI" ;; esac
    run "bw $s" $J bw -m 1048576:4194304 -i 100
    run "lat8 $s" $J latency -m 8:8 -i 100000
    run "allreduce8M $s" $J allreduce -m 8388608:8388608 -i 50
  done
done
