#!/usr/bin/env bash
# MPI-IO write bandwidth: a block-distributed array of BYTES (default 1 GiB) written collectively by np=2 and np=4
# (bin/jmpirun, shared memory, io.jmpi.bench.MpiIoBench) against one process writing the same bytes with a plain
# FileChannel, alternating, ROUNDS rounds (default 3), fsync on both sides (FSYNC=no to leave it out on both).
# Run it under `heavy` on a quiet machine. Usage: bench/mpiio.sh [DIR] (default /tmp).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:-/tmp}
BYTES=${BYTES:-1073741824}
ROUNDS=${ROUNDS:-3}
FSYNC=${FSYNC:-yes}
JAR=$(ls "$ROOT"/bench/target/jmpi-bench-*.jar | grep -v -- -sources | head -1)
CP="$JAR:$ROOT/bench/target/lib/*"
FILE="$DIR/jmpi-mpiio-bench.$$"
echo "# $(date -u +%FT%TZ) bytes=$BYTES fsync=$FSYNC dir=$DIR ($(df -h "$DIR" | awk 'NR==2{print $1", "$4" free"}')) load: $(cut -d' ' -f1-3 /proc/loadavg)"
# every run starts with no dirty pages of anyone else's in the page cache (sync outside the timing), so one run's
# fsync does not pay for another's writes
for r in $(seq 1 "$ROUNDS"); do
  sync
  java -Xmx256m -XX:MaxDirectMemorySize=3g -cp "$CP" io.jmpi.bench.MpiIoBench plain "$FILE" "$BYTES" "$FSYNC" | sed "s/^/round=$r /"
  for np in 2 4; do
    sync
    "$ROOT/bin/jmpirun" -np "$np" --transport shm --jvm-args="-Xmx2g" -cp "$CP" io.jmpi.bench.MpiIoBench mpiio "$FILE" "$BYTES" "$FSYNC" | sed "s/^/round=$r /"
  done
  sync
  "$ROOT/bin/jmpirun" -np 4 --transport shm --jvm-args="-Xmx2g" -cp "$CP" io.jmpi.bench.MpiIoBench mpiio "$FILE" "$BYTES" "$FSYNC" cb | sed "s/^/round=$r /"
  echo "round=$r load: $(cut -d' ' -f1-3 /proc/loadavg)"
done
