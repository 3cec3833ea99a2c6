#!/usr/bin/env bash
# What Open MPI's Java API costs on jmpi: OsuOpenMpi (an OSU-style ping-pong written against Open MPI's Java API,
# compiled ONCE against Open MPI's mpi.jar) run on jmpi through mpi-openmpi (bin/jmpirun --api openmpi), jmpi's
# native OSU suite (bin/jmpirun --bench), and Open MPI's own Java bindings (mpirun, vader / tcp), alternating,
# ROUNDS rounds; latency 8 B (array buffers) and bandwidth 1 MiB (direct ByteBuffers; native also with arrays).
# One line per run: round test transport system result | load average. Needs /opt/ompi-java (docs/OPENMPI-JAVA.md),
# and the jars (mvn -B -o -q -pl bench,mpi-openmpi -am package -DskipTests). Run it under `heavy` on a shared machine.
#   bench/openmpi/run.sh [ROUNDS=3] [SECONDS per measurement=1] [OUT=bench/target/openmpi-java.txt]
set -euo pipefail
home=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
rounds=${1:-3} budget=${2:-1} out=${3:-$home/bench/target/openmpi-java.txt}
OMPI=${OMPI_JAVA_HOME:-/opt/ompi-java}
[ -f "$OMPI/lib/mpi.jar" ] || { echo "$0: no $OMPI/lib/mpi.jar (build Open MPI's Java bindings: docs/OPENMPI-JAVA.md)" >&2; exit 1; }
classes=$home/bench/target/openmpi-java
mkdir -p "$classes" "$(dirname "$out")"
javac -nowarn -cp "$OMPI/lib/mpi.jar" -d "$classes" "$home/bench/openmpi/OsuOpenMpi.java"
export LD_LIBRARY_PATH=$OMPI/lib
J=$home/bin/jmpirun
ompi() { # btl test size
  CLASSPATH=$classes:$OMPI/lib/mpi.jar timeout 120 "$OMPI/bin/mpirun" --allow-run-as-root --oversubscribe -np 2 \
    --mca pml ob1 --mca btl "self,$1" --mca btl_tcp_if_include lo --mca oob_tcp_if_include lo -x LD_LIBRARY_PATH \
    java -Djava.library.path="$OMPI/lib" -cp "$classes:$OMPI/lib/mpi.jar" OsuOpenMpi "$2" "$3" "$budget" "openmpi-java-$1"
}
adapter() { # transport test size
  timeout 120 "$J" --api openmpi --transport "$1" -np 2 -cp "$classes" OsuOpenMpi "$2" "$3" "$budget" "jmpi-openmpi-api-$1"
}
native() { # transport test size buffer
  timeout 120 "$J" --transport "$1" -np 2 --bench "$2" -m "$3:$3" -t "$budget" --buffer "$4" -s "jmpi-native-$1"
}
row() { # label command...
  local label=$1 res
  shift
  res=$("$@" 2>>"$out.err" | grep -v '^#' | tail -1 || true)
  echo "$round $label $res | load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out"
}
: > "$out"
: > "$out.err"
echo "# $(date -u +%FT%TZ) rounds=$rounds budget=${budget}s jmpi=$(git -C "$home" rev-parse --short HEAD) $(nproc) cores" | tee -a "$out"
for round in $(seq 1 "$rounds"); do
  for t in shm tcp; do
    b=$([ "$t" = shm ] && echo vader || echo tcp)
    row "lat $t api" adapter "$t" latency 8
    row "lat $t native" native "$t" latency 8 array
    row "lat $t openmpi" ompi "$b" latency 8
    row "bw $t api" adapter "$t" bw 1048576
    row "bw $t native-direct" native "$t" bw 1048576 direct
    row "bw $t native-array" native "$t" bw 1048576 array
    row "bw $t openmpi" ompi "$b" bw 1048576
  done
done
