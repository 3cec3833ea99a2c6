#!/usr/bin/env bash
# tree-scale.sh: a ring over the three namespaced test hosts (issue 21; bench/results/session6/tree.md), jmpirun on h1,
# every pair on TCP, with three agent set-ups in rotating order each round:
#   tunnel  -D agentExchange=false                one agent per host, each rank's control connection tunnelled
#                                                 byte for byte to jmpirun (session 5)
#   flat    (defaults)                            one agent per host, hierarchical endpoint exchange
#   chain   -D agentFanout=1                      the agent tree with fan-out 1: jmpirun starts h1's agent and h2's
#                                                 over ssh, h2's agent starts h3's (hierarchical exchange)
# Per run: wall time of jmpirun (monotonic clock around it), exit code, "ring ok", the sum of the ranks' TCP
# connections (initTimings close lines), jmpirun's exchange counters (endpoint messages received / tables sent), and
# the ssh sessions each host's sshd accepted during the run, with the client address of each.
#
# usage: bench/scripts/tree-scale.sh [-r ROUNDS] [-p RANKS_PER_HOST] [-o OUT.tsv]
# Needs root and the test hosts' tools (cluster-config/install-deps.sh --ssh), mpi-core built with its test classes
# (mvn -o -q -pl mpi-core test-compile package -DskipTests). Run it alone: `heavy bench/scripts/tree-scale.sh`.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
rounds=2 per=16 out=""
while getopts "r:p:o:" o; do
  case $o in r) rounds=$OPTARG ;; p) per=$OPTARG ;; o) out=$OPTARG ;; *) exit 2 ;; esac
done
: "${out:=/tmp/tree-scale-$$.tsv}"
TB="$ROOT/cluster-config/testhosts"
STATE=/tmp/jmpi-testhosts
CLASSES="$ROOT/mpi-core/target/test-classes"
[ -f "$CLASSES/io/jmpi/launch/testapps/ClusterApp.class" ] || { echo "build the test classes first" >&2; exit 1; }
np=$((per * 3))
WORK=$(mktemp -d)
"$TB/hosts-up.sh" >/dev/null
trap '"$TB/hosts-down.sh" --quiet || true; rm -rf "$WORK"' EXIT
printf 'h1 slots=%s\nh2 slots=%s\nh3 slots=%s\n' "$per" "$per" "$per" >"$WORK/hostfile"
JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
export JAVA_HOME

accepted() { # host -> the client addresses of Accepted lines so far, one a line
  grep -o 'Accepted [^ ]* for [^ ]* from [^ ]*' "$STATE/$1/sshd.log" 2>/dev/null | awk '{print $NF}' || true
}

run() { # setup -> one TSV line
  local setup=$1 extra=() t0 t1 rc=0 h before=()
  case $setup in
    tunnel) extra=(-D agentExchange=false) ;;
    flat) extra=() ;;
    chain) extra=(-D agentFanout=1) ;;
  esac
  for h in h1 h2 h3; do accepted $h >"$WORK/before-$h"; done
  t0=$(date +%s%N)
  "$TB/on-host.sh" h1 "$ROOT/bin/jmpirun" --launch-agent "ssh -F $STATE/ssh_config" -np "$np" \
      --hostfile "$WORK/hostfile" --transport tcp -D hostAgents=on -D initTimings=true -D cds=false ${extra[@]+"${extra[@]}"} \
      --jvm-args="-Xmx64m -Xss512k -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:CICompilerCount=1" \
      -cp "$CLASSES" io.jmpi.launch.testapps.ClusterApp ringonly >"$WORK/out" 2>"$WORK/err" || rc=$?
  t1=$(date +%s%N)
  local ms=$(((t1 - t0) / 1000000))
  local ok; ok=$(grep -c '^ring ok' "$WORK/out" || true)
  local conns; conns=$(grep -o '(connections: [0-9]*)' "$WORK/err" | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}')
  local ex; ex=$(grep -o 'endpoint exchange: [0-9]* messages received, [0-9]* tables sent ([0-9]* ranks, [0-9]* launch agents' "$WORK/err" \
      | awk '{print $3 "/" $6 "/" $11}')
  local ssh=""
  for h in h1 h2 h3; do
    accepted $h >"$WORK/after-$h"
    ssh="$ssh $h:$(tail -n +$(($(wc -l <"$WORK/before-$h") + 1)) "$WORK/after-$h" | paste -sd, -)"
  done
  [ "$rc" -eq 0 ] || { echo "run $setup failed ($rc):" >&2; tail -5 "$WORK/err" >&2; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$setup" "$ms" "$rc" "$ok" "$conns" "$ex" "${ssh# }"
}

echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg); $np ranks, $per per host; $(date -u +%FT%TZ)" | tee "$out"
printf 'setup\tms\texit\tring_ok\trank_tcp_conns\texchange_recv/sent/agents\tssh_accepted_from\n' | tee -a "$out"
setups=(tunnel flat chain)
for ((i = 0; i < rounds; i++)); do
  for ((j = 0; j < 3; j++)); do
    run "${setups[$(((i + j) % 3))]}" | tee -a "$out"
  done
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ)" | tee -a "$out"
