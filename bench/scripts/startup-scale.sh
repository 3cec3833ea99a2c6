#!/usr/bin/env bash
# startup-scale.sh: empty-job start-up (init, one barrier, close) of jmpi against Open MPI at several job sizes, in
# one alternating run (issue 21). Three systems per size, in rotating order each round:
#   jmpi-before  bin/jmpirun -D connections=eager -D cds=false  (every pair connected at init, no class-data sharing)
#   jmpi-after   bin/jmpirun                                    (the defaults: connections on first use, AppCDS)
#   openmpi      mpirun --oversubscribe of a C program: MPI_Init, MPI_Barrier, MPI_Finalize
# A warm-up run of each (not counted) first, so jmpi-after's archive exists. Wall time of the whole command, from a
# monotonic clock around it. Prints a TSV of every run and a markdown table of medians with the load average.
#
# usage: bench/scripts/startup-scale.sh [-r ROUNDS] [-n "2 8 16 32"] [-o OUT.tsv]
#        (STARTUP_SYSTEMS="jmpi-lazy-nocds jmpi-eager-cds jmpi-after" to separate the two halves of the change;
#         jmpi-agent: the defaults with -D hostAgents=on, the ranks started by one launch agent, as on an ssh hostfile;
#         jmpi-base: the defaults of another jmpi tree, STARTUP_BASE_HOME (e.g. `git archive <commit> | tar -x -C DIR`
#         and `mvn -o -q -pl mpi-core,bench -am package -DskipTests` there): before and after a change, one run)
# Run it alone on the machine (on the shared one: `heavy bench/scripts/startup-scale.sh`).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
rounds=3 sizes="2 8 16 32" out=""
while getopts "r:n:o:" o; do
  case $o in r) rounds=$OPTARG ;; n) sizes=$OPTARG ;; o) out=$OPTARG ;; *) exit 2 ;; esac
done
: "${out:=/tmp/startup-scale-$$.tsv}"
BENCH_JAR=$(ls "$ROOT"/bench/target/jmpi-bench-*.jar | grep -v -e sources -e javadoc | head -n 1)
[ -f "$BENCH_JAR" ] || { echo "build bench first: mvn -o -q -pl mpi-core,bench -am package -DskipTests" >&2; exit 1; }
BASE_JAR=""
if [ -n "${STARTUP_BASE_HOME:-}" ]; then
  BASE_JAR=$(ls "$STARTUP_BASE_HOME"/bench/target/jmpi-bench-*.jar | grep -v -e sources -e javadoc | head -n 1)
fi
BUILD=$(mktemp -d)
trap 'rm -rf "$BUILD"' EXIT
printf '#include <mpi.h>\nint main(int argc, char **argv) {\n  MPI_Init(&argc, &argv);\n  MPI_Barrier(MPI_COMM_WORLD);\n  MPI_Finalize();\n  return 0;\n}\n' >"$BUILD/barrier.c"
mpicc -O2 -o "$BUILD/barrier" "$BUILD/barrier.c"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

run() { # system np -> prints ms, or "fail"
  local sys=$1 np=$2 t0 t1 rc=0
  t0=$(date +%s%N)
  case $sys in
    jmpi-before) "$ROOT/bin/jmpirun" -np "$np" -D connections=eager -D cds=false -cp "$BENCH_JAR" io.jmpi.bench.report.BarrierJob >"$BUILD/out" 2>&1 || rc=$? ;;
    jmpi-after) "$ROOT/bin/jmpirun" -np "$np" -cp "$BENCH_JAR" io.jmpi.bench.report.BarrierJob >"$BUILD/out" 2>&1 || rc=$? ;;
    jmpi-lazy-nocds) "$ROOT/bin/jmpirun" -np "$np" -D cds=false -cp "$BENCH_JAR" io.jmpi.bench.report.BarrierJob >"$BUILD/out" 2>&1 || rc=$? ;;
    jmpi-eager-cds) "$ROOT/bin/jmpirun" -np "$np" -D connections=eager -cp "$BENCH_JAR" io.jmpi.bench.report.BarrierJob >"$BUILD/out" 2>&1 || rc=$? ;;
    jmpi-base) "$STARTUP_BASE_HOME/bin/jmpirun" -np "$np" -cp "$BASE_JAR" io.jmpi.bench.report.BarrierJob >"$BUILD/out" 2>&1 || rc=$? ;;
    jmpi-agent) "$ROOT/bin/jmpirun" -np "$np" -D hostAgents=on -cp "$BENCH_JAR" io.jmpi.bench.report.BarrierJob >"$BUILD/out" 2>&1 || rc=$? ;;
    openmpi) mpirun -np "$np" --oversubscribe --bind-to none --mca btl_tcp_if_include lo "$BUILD/barrier" >"$BUILD/out" 2>&1 || rc=$? ;;
  esac
  t1=$(date +%s%N)
  if ((rc == 0)); then echo $(((t1 - t0) / 1000000)); else echo "fail($rc): $(head -c 200 "$BUILD/out" | tr '\n' ' ')"; fi
}

# STARTUP_SYSTEMS="jmpi-lazy-nocds jmpi-eager-cds jmpi-agent ..." adds systems (printed as raw runs and medians)
read -r -a systems <<<"${STARTUP_SYSTEMS:-jmpi-before jmpi-after openmpi}"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
printf 'round\tnp\tsystem\tms\n' >"$out"
for np in $sizes; do for s in "${systems[@]}"; do run "$s" "$np" >/dev/null; done; done # warm-up
for ((r = 1; r <= rounds; r++)); do
  for np in $sizes; do
    for ((k = 0; k < ${#systems[@]}; k++)); do
      s=${systems[$(((k + r) % ${#systems[@]}))]}
      printf '%s\t%s\t%s\t%s\n' "$r" "$np" "$s" "$(run "$s" "$np")" >>"$out"
    done
  done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(java -version 2>&1 | head -n 1), $(mpirun --version | head -n 1)"
echo "# load average at start: $load_start; at end: $load_end; raw runs: $out"
echo
echo "| ranks | jmpi before (eager, no CDS) | jmpi after (lazy, AppCDS) | Open MPI | after / Open MPI | before / Open MPI |"
echo "|---|---|---|---|---|---|"
for np in $sizes; do
  med() { awk -F'\t' -v np="$np" -v s="$1" '$2==np && $3==s && $4 ~ /^[0-9]+$/ {print $4}' "$out" | sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "-"}'; }
  b=$(med jmpi-before) a=$(med jmpi-after) o=$(med openmpi)
  ra=$(awk -v a="$a" -v o="$o" 'BEGIN{if (o>0 && a>0) printf "%.2fx", a/o; else print "-"}')
  rb=$(awk -v a="$b" -v o="$o" 'BEGIN{if (o>0 && a>0) printf "%.2fx", a/o; else print "-"}')
  echo "| $np | $b ms | $a ms | $o ms | $ra | $rb |"
done
echo
echo "medians of every system run (ms):"
echo
printf '| ranks |'; for s in "${systems[@]}"; do printf ' %s |' "$s"; done; echo
printf '|---|'; for s in "${systems[@]}"; do printf -- '---|'; done; echo
for np in $sizes; do
  printf '| %s |' "$np"
  for s in "${systems[@]}"; do
    printf ' %s |' "$(awk -F'\t' -v np="$np" -v s="$s" '$2==np && $3==s && $4 ~ /^[0-9]+$/ {print $4}' "$out" | sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "-"}')"
  done
  echo
done
