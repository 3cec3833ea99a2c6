#!/usr/bin/env bash
# The overhead of the mpiJava adapter (module mpi-mpijava) against jmpi's native API: bench/mpj/OsuMpj.java
# compiled against MPJ Express's mpj.jar and run on jmpi (jmpirun --api mpijava), against jmpi's own OSU suite
# (jmpirun --bench), same transport, alternating, ROUNDS rounds: 8 B latency and 1 MiB bandwidth over tcp and shm.
# Both suites run a fixed number of iterations (the same for both), so means compare like with like; both receive a
# bw window into one buffer, as osu.c does (OsuMpj's wb=1 would give each receive its own).
# native-twin is OsuMpj's bw loop written against the native API (bench/scripts/BwTwin.java): the native suite's own
# bw loop runs faster over shm than this same loop does natively, so the twin is the like-for-like reference.
#
# Usage (hold the machine: every helper's heavy command goes through `heavy`):
#   heavy bench/scripts/mpijava-overhead.sh [ROUNDS] > bench/results/sessionN/mpijava-overhead.txt
# Needs the jars (mvn -DskipTests -pl mpi-core,mpi-mpijava,bench -am package) and /usr/share/mpj/lib/mpj.jar.
# Output: one line per run: round transport api lat[size avg p50 p99 max] (us, one way) or bw[size MB/s].
# BASE=DIR (optional): also run the adapter of an earlier build (a git worktree with its jars built, e.g.
# `git worktree add /tmp/base main && (cd /tmp/base && mvn -o -q -DskipTests -pl mpi-core,mpi-mpijava,bench -am
# package)`), as api mpijava-base, in the same alternation.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ROUNDS=${1:-3}
LAT_ITERS=${LAT_ITERS:-200000}
BW_ITERS=${BW_ITERS:-100}
MPJ_JAR=${MPJ_JAR:-/usr/share/mpj/lib/mpj.jar}
CLASSES=$(mktemp -d)
trap 'rm -rf "$CLASSES"' EXIT
javac -d "$CLASSES" -cp "$MPJ_JAR" "$ROOT/bench/mpj/OsuMpj.java"
CORE_JAR=$(ls "$ROOT"/mpi-core/target/mpi-core-*.jar | grep -v -e -tests -e -sources -e -javadoc | head -1)
javac -d "$CLASSES" -cp "$CORE_JAR" "$ROOT/bench/scripts/BwTwin.java"
RUN="$ROOT/bin/jmpirun"

run() { # transport api test size iters -> the result line without the size's header lines
  local tr=$1 api=$2 test=$3 size=$4 iters=$5
  if [[ $api == native-twin ]]; then
    [[ $test == bw ]] || return 0
    echo "$size $("$RUN" -np 2 --transport "$tr" --timeout 300 -cp "$CLASSES" BwTwin "$iters" | awk '{print $2}')"
  elif [[ $api == mpijava-base ]]; then
    "$BASE/bin/jmpirun" -np 2 --transport "$tr" --timeout 300 --api mpijava -cp "$CLASSES" OsuMpj "$test" "m=$size:$size" "i=$iters" "s=mpijava-base-$tr"
  elif [[ $api == native ]]; then
    "$RUN" -np 2 --transport "$tr" --timeout 300 --bench "$test" -m "$size:$size" -i "$iters" -s "native-$tr"
  else
    "$RUN" -np 2 --transport "$tr" --timeout 300 --api mpijava -cp "$CLASSES" OsuMpj "$test" "m=$size:$size" "i=$iters" "s=mpijava-$tr"
  fi | { grep -v '^#' || true; }
}

echo "# $(date -u '+%Y-%m-%d %H:%M:%S') UTC, jmpi $(git -C "$ROOT" rev-parse --short HEAD)${BASE:+, mpijava-base: $(git -C "$BASE" rev-parse --short HEAD)}, $(uptime | sed 's/.*load/load/')"
echo "# round transport api lat[size avg_us p50_us p99_us max_us] bw[size MB/s]; latency $LAT_ITERS iterations, bw $BW_ITERS windows of 64"
for round in $(seq 1 "$ROUNDS"); do
  for tr in tcp shm; do
    for api in native native-twin mpijava ${BASE:+mpijava-base}; do
      lat=$(run "$tr" "$api" latency 8 "$LAT_ITERS")
      bw=$(run "$tr" "$api" bw 1048576 "$BW_ITERS")
      echo "$round $tr $api lat[$lat] bw[$bw]"
    done
  done
done
echo "# end $(date -u '+%H:%M:%S') UTC, $(uptime | sed 's/.*load/load/')"
