#!/usr/bin/env bash
# bench/compare.sh: jmpi against Open MPI and MPJ Express on this machine, in one session.
#
# Installs what is missing (as root: cluster-config/install-deps.sh --openmpi --mpj), builds the C reference
# (bench/c/osu.c), the raw MPJ Express benchmark (bench/mpj/OsuMpj.java) and jmpi (when its jars are missing or
# older than its sources), then runs R rounds; in each round every test case runs once on every system, the
# systems alternating (their order rotated from round to round) so that a slow spell of this shared machine hits
# all of them alike:
#   jmpi-tcp        bin/jmpirun --transport tcp --bench TEST            (io.jmpi.bench.Osu)
#   jmpi-shm        bin/jmpirun --transport shm --bench TEST
#   jmpi-mpj        bin/jmpirun --backend mpj --bench TEST               (only when jmpirun has --backend)
#   openmpi-tcp     mpirun --mca pml ob1 --mca btl tcp,self --mca btl_tcp_if_include lo osu TEST
#   openmpi-shm     mpirun --mca pml ob1 --mca btl vader,self osu TEST
#   mpj-niodev      mpjrun.sh -dev niodev OsuMpj TEST    (one JVM per rank, through a daemon this script starts)
#   mpj-multicore   mpjrun.sh -dev multicore OsuMpj TEST (ranks are threads of one JVM)
# plus the start-up time of an empty np=2 job under each launcher. A system or test that fails or times out is
# recorded as n/a and the session goes on. Then io.jmpi.bench.report.Report prints every figure as the median
# (min–max) over the rounds with the ratio of jmpi to each reference, checks the goals of the issues, and writes
# results.md, CSV files and PNG charts (XChart).
#
# Output: raw logs in bench/results/raw/<UTC time>/ (git-ignored); the report in bench/results/<UTC time>/, copied
# to bench/results/latest/ and summarised in bench/README.md ("Latest results") for a full run. A --quick run
# writes its report into its raw directory only.
#
# Usage: bench/compare.sh [--quick] [options]        (bench/compare.sh --help lists them)
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/bench/target/compare"
ALL_SYSTEMS="jmpi-tcp jmpi-shm jmpi-mpj openmpi-tcp openmpi-shm mpj-niodev mpj-multicore"

usage() {
  cat <<EOF
usage: bench/compare.sh [--quick] [options]
  --quick              smoke test: 1 round, sizes 8:1048576, 0.01 s per size, JIT warm-up 0.2 s,
                       tests latency bw bibw barrier bcast allreduce; no README update
  --repeats R          rounds (default 3)
  --sizes MIN:MAX      message sizes in bytes, doubling (default 1:4194304)
  --budget S           seconds of timed iterations per size (default 0.1)
  --jit-warmup S       seconds of JIT warm-up before the first size, Java suites only (default 1)
  --tests LIST         comma-separated (default latency,bw,bibw,barrier,bcast,reduce,allreduce,allgather,alltoall);
                       latency, bw and bibw run on 2 ranks, the others on every --nps
  --nps LIST           world sizes of the collectives (default 2,4; 4 oversubscribes 2 cores)
  --systems LIST       subset of: ${ALL_SYSTEMS// /,}
  --startup-runs N     timed empty jobs per launcher per round (default 3; 0 skips start-up)
  --out DIR            where the report goes (default bench/results/<UTC time>)
  --publish|--no-publish  copy the report to bench/results/latest and update bench/README.md
                       (default: yes for a full run, no with --quick)
  --no-install         never run the package installer
  --no-build           use jmpi's jars as they are
  -h, --help           this text
Environment: JAVA_HOME (jmpi ranks, MPJ Express and the report use its java), MPIRUN_EXTRA (more mpirun options).
EOF
}

die() { echo "compare: $*" >&2; exit 2; }

# ------------------------------------------------------------------------------------------------ options
quick=0 repeats="" sizes="" budget="" jit="" tests="" nps="" systems="" startup_runs="" out="" publish="" install=1 build=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1 ;;
    --repeats) repeats=${2-}; shift ;;
    --sizes) sizes=${2-}; shift ;;
    --budget) budget=${2-}; shift ;;
    --jit-warmup) jit=${2-}; shift ;;
    --tests) tests=${2-}; shift ;;
    --nps) nps=${2-}; shift ;;
    --systems) systems=${2-}; shift ;;
    --startup-runs) startup_runs=${2-}; shift ;;
    --out) out=${2-}; shift ;;
    --publish) publish=1 ;;
    --no-publish) publish=0 ;;
    --no-install) install=0 ;;
    --no-build) build=0 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "compare: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
if ((quick)); then
  : "${repeats:=1}" "${sizes:=8:1048576}" "${budget:=0.01}" "${jit:=0.2}" "${startup_runs:=1}" "${publish:=0}"
  : "${tests:=latency,bw,bibw,barrier,bcast,allreduce}"
fi
: "${repeats:=3}" "${sizes:=1:4194304}" "${budget:=0.1}" "${jit:=1}" "${startup_runs:=3}" "${publish:=1}"
: "${tests:=latency,bw,bibw,barrier,bcast,reduce,allreduce,allgather,alltoall}" "${nps:=2,4}"
: "${systems:=${ALL_SYSTEMS// /,}}"
[[ $repeats =~ ^[1-9][0-9]*$ ]] || die "--repeats must be a positive integer, got '$repeats'"
[[ $startup_runs =~ ^[0-9]+$ ]] || die "--startup-runs must be an integer >= 0, got '$startup_runs'"
[[ $sizes =~ ^([0-9]+):([0-9]+)$ ]] || die "--sizes must be MIN:MAX, got '$sizes'"
size_min=${BASH_REMATCH[1]} size_max=${BASH_REMATCH[2]}
((size_min <= size_max && size_max <= 1073741824)) || die "--sizes: need MIN <= MAX <= 1 GiB, got '$sizes'"
[[ $budget =~ ^[0-9]*\.?[0-9]+$ ]] || die "--budget must be a number of seconds, got '$budget'"
[[ $jit =~ ^[0-9]*\.?[0-9]+$ ]] || die "--jit-warmup must be a number of seconds, got '$jit'"
IFS=, read -r -a test_list <<<"$tests"
IFS=, read -r -a np_list <<<"$nps"
IFS=, read -r -a want_systems <<<"$systems"
for t in "${test_list[@]}"; do
  [[ " latency bw bibw multi_lat barrier bcast reduce allreduce allgather alltoall " == *" $t "* ]] || die "unknown test '$t'"
done
for n in "${np_list[@]}"; do [[ $n =~ ^[1-9][0-9]*$ ]] || die "--nps: bad world size '$n'"; done
for s in "${want_systems[@]}"; do [[ " $ALL_SYSTEMS " == *" $s "* ]] || die "unknown system '$s'"; done

# number of sizes, for the per-run time limit
nsizes=0
for ((s = size_min < 1 ? 1 : size_min; s <= size_max; s *= 2)); do nsizes=$((nsizes + 1)); done

stamp=$(date -u +%Y%m%dT%H%M%SZ)
RAW="$ROOT/bench/results/raw/${stamp}$( ((quick)) && echo -quick)"
if [[ -z $out ]]; then
  if ((quick)); then out="$RAW/report"; else out="$ROOT/bench/results/$stamp"; fi
fi
SESSION="$BUILD/session-$stamp-$$"
mkdir -p "$RAW" "$SESSION" || die "cannot create $RAW or $SESSION"

JAVA=java
[[ -n ${JAVA_HOME-} && -x ${JAVA_HOME-}/bin/java ]] && JAVA="$JAVA_HOME/bin/java"
JAVAC=javac
[[ -n ${JAVA_HOME-} && -x ${JAVA_HOME-}/bin/javac ]] && JAVAC="$JAVA_HOME/bin/javac"

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*"; }

# ------------------------------------------------------------------------------- cleanup of what we start
CUR_PID=""      # the `timeout` of the run in progress (leader of its own process group)
DAEMON_PID=""   # the MPJ Express daemon
daemon_children() { [[ -n $DAEMON_PID ]] && pgrep -P "$DAEMON_PID" 2>/dev/null; }
# After a niodev job: its rank JVMs are the daemon's children and outlive a failed or timed-out mpjrun.
reap_daemon_children() {
  for _ in $(seq 30); do [[ -z $(daemon_children) ]] && return 0; sleep 0.1; done
  kill_daemon_children
}
kill_daemon_children() {
  local p
  for p in $(daemon_children); do kill -TERM "$p" 2>/dev/null; done
  sleep 0.5
  for p in $(daemon_children); do kill -KILL "$p" 2>/dev/null; done
}
stop_daemon() {
  [[ -n $DAEMON_PID ]] || return 0
  kill_daemon_children
  kill -TERM "$DAEMON_PID" 2>/dev/null
  for _ in $(seq 20); do kill -0 "$DAEMON_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$DAEMON_PID" 2>/dev/null
  wait "$DAEMON_PID" 2>/dev/null
  DAEMON_PID=""
}
cleanup() {
  if [[ -n $CUR_PID ]]; then
    kill -TERM "$CUR_PID" 2>/dev/null   # timeout passes it on to its process group
    wait "$CUR_PID" 2>/dev/null
    CUR_PID=""
  fi
  stop_daemon
  rm -rf "$SESSION"
}
trap cleanup EXIT
trap 'echo "compare: interrupted" >&2; exit 130' INT TERM

# ---------------------------------------------------------------------------------------------- install
have_openmpi() { command -v mpirun >/dev/null && command -v mpicc >/dev/null; }
have_mpj() { [[ -f /usr/share/mpj/lib/mpj.jar ]]; }
want() { [[ " ${want_systems[*]} " == *" $1 "* ]]; }
wants_openmpi=0 wants_mpj=0
for s in "${want_systems[@]}"; do
  case $s in openmpi-*) wants_openmpi=1 ;; mpj-*|jmpi-mpj) wants_mpj=1 ;; esac
done
missing=()
((wants_openmpi)) && ! have_openmpi && missing+=(--openmpi)
((wants_mpj)) && ! have_mpj && missing+=(--mpj)
if ((${#missing[@]})); then
  if ((install)) && [[ $(id -u) -eq 0 ]]; then
    log "installing ${missing[*]} with cluster-config/install-deps.sh"
    "$ROOT/cluster-config/install-deps.sh" "${missing[@]}" || echo "compare: install-deps.sh failed" >&2
  else
    echo "compare: missing ${missing[*]}: run (as root) cluster-config/install-deps.sh ${missing[*]}; skipping those systems" >&2
  fi
fi
skip_note=()   # "system<TAB>why", for systems that cannot run at all
skip() { skip_note+=("$1"$'\t'"$2"); }

# ------------------------------------------------------------------------------------------------ build
mkdir -p "$BUILD"
newest_jar() { # DIR PREFIX -> the newest DIR/PREFIX*.jar that is not a sources/javadoc/tests jar
  local f best=""
  for f in "$1/$2"*.jar; do
    [[ -e $f ]] || continue
    case $f in *-sources.jar|*-javadoc.jar|*-tests.jar) continue ;; esac
    [[ -z $best || $f -nt $best ]] && best=$f
  done
  printf '%s' "$best"
}
bench_jar() { newest_jar "$ROOT/bench/target" jmpi-bench-; }
core_jar() { newest_jar "$ROOT/mpi-core/target" mpi-core-; }
jmpi_note=""
if ((build)); then
  jar=$(bench_jar)
  stale=""
  if [[ -z $jar || -z $(core_jar) ]]; then
    stale="jars missing"
  elif [[ -n $(find "$ROOT/pom.xml" "$ROOT/bench/pom.xml" "$ROOT/mpi-core/pom.xml" "$ROOT/mpi-core/src/main" \
                    "$ROOT/bench/src/main" -newer "$jar" -type f -print -quit 2>/dev/null) ]]; then
    stale="sources newer than $(basename "$jar")"
  fi
  if [[ -n $stale ]]; then
    log "building jmpi ($stale): mvn -q -B -DskipTests -pl bench -am package"
    if ! (cd "$ROOT" && mvn -q -B -o -DskipTests -pl bench -am package >"$RAW/build.log" 2>&1) &&
       ! (cd "$ROOT" && mvn -q -B -DskipTests -pl bench -am package >>"$RAW/build.log" 2>&1); then
      jmpi_note="the jmpi build failed (see build.log), so its rows use the jars built $(date -r "$(bench_jar)" '+%F %T' 2>/dev/null || echo never)"
      echo "compare: $jmpi_note" >&2
      tail -n 15 "$RAW/build.log" >&2
    fi
  fi
fi
BENCH_JAR=$(bench_jar)
if [[ -z $BENCH_JAR ]]; then
  for s in jmpi-tcp jmpi-shm jmpi-mpj; do skip "$s" "no bench/target/jmpi-bench-*.jar (build failed?)"; done
fi
REPORT_CP="$BENCH_JAR:$ROOT/bench/target/lib/*"
JAR_TOOL=jar
[[ -n ${JAVA_HOME-} && -x ${JAVA_HOME-}/bin/jar ]] && JAR_TOOL="$JAVA_HOME/bin/jar"
has_class() { # class file path inside the bench jar
  [[ -n $BENCH_JAR ]] || return 1
  if command -v unzip >/dev/null; then
    unzip -l "$BENCH_JAR" "$1" >/dev/null 2>&1
  else
    "$JAR_TOOL" tf "$BENCH_JAR" 2>/dev/null | grep -qxF "$1"
  fi
}
has_class io/jmpi/bench/report/Report.class || echo "compare: $BENCH_JAR has no report class: tables and charts will be missing" >&2

# Options the jmpi suite in this jar understands (an older jar may lack --jit-warmup).
osu_help=""
[[ -n $BENCH_JAR ]] && osu_help=$("$JAVA" -cp "$BENCH_JAR:$ROOT/bench/target/lib/*" io.jmpi.bench.Osu --help 2>&1)
jmpi_jit=()
[[ $osu_help == *--jit-warmup* ]] && jmpi_jit=(--jit-warmup "$jit")

jmpirun_help=$("$ROOT/bin/jmpirun" --help 2>&1)
if [[ $jmpirun_help != *--backend* ]]; then
  skip jmpi-mpj "bin/jmpirun has no --backend option yet (issue 8)"
fi

C_OSU="$ROOT/bench/c/osu"
C_EMPTY="$BUILD/empty-mpi"
if have_openmpi; then
  if [[ ! -x $C_OSU || $ROOT/bench/c/osu.c -nt $C_OSU ]]; then
    log "building bench/c/osu"
    make -s -C "$ROOT/bench/c" osu >"$RAW/build-c.log" 2>&1 || { cat "$RAW/build-c.log" >&2; }
  fi
  if [[ ! -x $C_EMPTY ]]; then
    printf '#include <mpi.h>\nint main(int argc, char **argv) {\n  MPI_Init(&argc, &argv);\n  MPI_Finalize();\n  return 0;\n}\n' >"$BUILD/empty-mpi.c"
    mpicc -O2 -o "$C_EMPTY" "$BUILD/empty-mpi.c" >>"$RAW/build-c.log" 2>&1 || echo "compare: cannot build the empty MPI program" >&2
  fi
  [[ -x $C_OSU ]] || { skip openmpi-tcp "bench/c/osu did not build"; skip openmpi-shm "bench/c/osu did not build"; }
else
  skip openmpi-tcp "Open MPI is not installed (cluster-config/install-deps.sh --openmpi)"
  skip openmpi-shm "Open MPI is not installed (cluster-config/install-deps.sh --openmpi)"
fi

MPJ_CLASSES="$BUILD/mpj-classes"
MPJH="$SESSION/mpj-home"
if have_mpj; then
  shared_mpj=$("$ROOT/cluster-config/mpj/mpj-home.sh" "$BUILD/mpj-home" 2>&1) || { echo "compare: $shared_mpj" >&2; shared_mpj=""; }
  if [[ -n $shared_mpj ]]; then
    if [[ ! -f $MPJ_CLASSES/OsuMpj.class || $ROOT/bench/mpj/OsuMpj.java -nt $MPJ_CLASSES/OsuMpj.class ||
          $ROOT/bench/mpj/EmptyMpj.java -nt $MPJ_CLASSES/EmptyMpj.class ]]; then
      log "compiling bench/mpj/*.java against MPJ Express"
      rm -rf "$MPJ_CLASSES" && mkdir -p "$MPJ_CLASSES"
      "$JAVAC" -nowarn -d "$MPJ_CLASSES" -cp "$shared_mpj/lib/mpj.jar" "$ROOT"/bench/mpj/*.java >"$RAW/build-mpj.log" 2>&1 ||
        { cat "$RAW/build-mpj.log" >&2; }
    fi
    # A private copy per session, with ports of its own: MPJ Express's daemon and mpjrun use fixed ports from
    # conf/mpjexpress.conf (40055, 40052, 40002), which another user of the machine may hold.
    cp -r "$shared_mpj" "$MPJH"
  fi
  [[ -f $MPJ_CLASSES/OsuMpj.class ]] || { skip mpj-niodev "OsuMpj did not compile"; skip mpj-multicore "OsuMpj did not compile"; }
else
  for s in mpj-niodev mpj-multicore; do skip "$s" "MPJ Express is not installed (cluster-config/install-deps.sh --mpj)"; done
fi

is_skipped() { local e; for e in "${skip_note[@]+"${skip_note[@]}"}"; do [[ ${e%%$'\t'*} == "$1" ]] && return 0; done; return 1; }
active=()
for s in $ALL_SYSTEMS; do want "$s" && ! is_skipped "$s" && active+=("$s"); done
((${#active[@]})) || die "no system can run"

# ------------------------------------------------------------------------------------- MPJ Express daemon
free_port() { # a TCP port nobody listens on, in 41000-48999
  local p used
  used=$(ss -ltnH 2>/dev/null | awk '{print $4}' | sed 's/.*://')
  for _ in $(seq 200); do
    p=$((41000 + RANDOM % 8000))
    grep -qx "$p" <<<"$used" || { echo "$p"; return; }
  done
  echo 0
}
if [[ " ${active[*]} " == *" mpj-"* || " ${active[*]} " == *" jmpi-mpj "* ]]; then
  DPORT=$(free_port) PMPORT=$(free_port) RUNPORT=$(free_port)
  sed -i -e "s/^mpjexpress.mpjdaemon.port.1=.*/mpjexpress.mpjdaemon.port.1=$DPORT/" \
         -e "s/^mpjexpress.mpjdaemon.port.2=.*/mpjexpress.mpjdaemon.port.2=$PMPORT/" \
         -e "s/^mpjexpress.mpjrun.port.1=.*/mpjexpress.mpjrun.port.1=$RUNPORT/" "$MPJH/conf/mpjexpress.conf"
  echo localhost >"$SESSION/machines"
fi
start_daemon() {
  [[ -n $DAEMON_PID ]] && kill -0 "$DAEMON_PID" 2>/dev/null && return 0
  DAEMON_PID=""
  (cd "$SESSION" && MPJ_HOME="$MPJH" MPJ_DAEMON_HOME="$SESSION/mpjd" PATH="$(dirname "$JAVA"):$PATH" \
     exec "$MPJH/bin/mpjdaemon.sh" "$DPORT") >>"$RAW/mpj-daemon.log" 2>&1 &
  DAEMON_PID=$!
  for _ in $(seq 100); do
    ss -ltnH "sport = :$DPORT" 2>/dev/null | grep -q . && return 0
    kill -0 "$DAEMON_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "compare: the MPJ Express daemon did not start (see $RAW/mpj-daemon.log)" >&2
  stop_daemon
  return 1
}
if [[ " ${active[*]} " == *" mpj-niodev "* ]]; then
  if ! start_daemon; then
    skip mpj-niodev "the MPJ Express daemon did not start"
    keep=()
    for s in "${active[@]}"; do [[ $s == mpj-niodev ]] || keep+=("$s"); done
    active=("${keep[@]}")
  fi
fi

# ------------------------------------------------------------------------------------ machine description
{
  echo "## date";        date -u '+%F %T UTC'
  echo "## uptime";      uptime
  echo "## lscpu";       lscpu 2>/dev/null
  echo "## free -m";     free -m
  echo "## kernel";      uname -a
  echo "## os";          cat /etc/debian_version /etc/os-release 2>/dev/null | head -n 3
  echo "## java";        "$JAVA" -version 2>&1
  echo "## maven";       mvn -v 2>/dev/null | head -n 1
  echo "## open mpi";    mpirun --version 2>/dev/null | head -n 1
  echo "## mpj express"; dpkg-query -W -f='libmpj-java ${Version}\n' libmpj-java 2>/dev/null
  echo "## jmpi";        git -C "$ROOT" rev-parse HEAD 2>/dev/null
  echo "uncommitted files: $(git -C "$ROOT" status --porcelain 2>/dev/null | wc -l)"
  echo "bench jar: ${BENCH_JAR:-none} $(date -r "${BENCH_JAR:-/nonexistent}" '+%F %T' 2>/dev/null)"
  [[ -n $jmpi_note ]] && echo "note: $jmpi_note"
} >"$RAW/machine.txt" 2>&1
cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
jv=$("$JAVA" -version 2>&1 | head -n 1 | sed 's/"//g')
ompi_v=$(mpirun --version 2>/dev/null | head -n 1 | awk '{print $NF}')
mpj_v=$(dpkg-query -W -f='${Version}' libmpj-java 2>/dev/null)
head_rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)
dirty=$(git -C "$ROOT" status --porcelain 2>/dev/null | wc -l)
{
  echo "Machine: ${cpu:-unknown CPU}, $(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GiB memory; Linux $(uname -r);" \
       "Debian $(cat /etc/debian_version 2>/dev/null); $jv; Open MPI ${ompi_v:-not installed};" \
       "MPJ Express ${mpj_v:-not installed}; jmpi ${head_rev:-?}$( ((dirty)) && echo " + $dirty uncommitted files")."
  echo "Load average (1, 5, 15 min) at start: $load_start; at end: @LOAD_END@ (a shared machine: other work runs beside the benchmark)."
  [[ -n $jmpi_note ]] && echo "**Note:** $jmpi_note."
} >"$RAW/machine-summary.md"

# -------------------------------------------------------------------------------------------- config files
{
  printf 'mode\t%s\n' "$( ((quick)) && echo quick || echo full)"
  printf 'started\t%s\n' "$(date -u '+%F %T UTC')"
  printf 'repeats\t%s\nsizes\t%s\nbudget\t%s\njit_warmup\t%s\ntests\t%s\nnps\t%s\n' \
    "$repeats" "$sizes" "$budget" "$jit" "$tests" "$nps"
} >"$RAW/config.tsv"
describe() {
  case $1 in
    jmpi-tcp) echo "jmpi over TCP loopback: bin/jmpirun --transport tcp --bench TEST" ;;
    jmpi-shm) echo "jmpi over shared memory: bin/jmpirun --transport shm --bench TEST" ;;
    jmpi-mpj) echo "jmpi on MPJ Express: bin/jmpirun --backend mpj --bench TEST" ;;
    openmpi-tcp) echo "Open MPI $ompi_v, C: mpirun --mca pml ob1 --mca btl tcp,self --mca btl_tcp_if_include lo bench/c/osu TEST" ;;
    openmpi-shm) echo "Open MPI $ompi_v, C: mpirun --mca pml ob1 --mca btl vader,self bench/c/osu TEST" ;;
    mpj-niodev) echo "MPJ Express $mpj_v niodev (a JVM per rank, TCP): mpjrun.sh -dev niodev OsuMpj TEST" ;;
    mpj-multicore) echo "MPJ Express $mpj_v multicore (ranks are threads of one JVM): mpjrun.sh -dev multicore OsuMpj TEST" ;;
  esac
}
: >"$RAW/systems.tsv"
for s in $ALL_SYSTEMS; do want "$s" && printf '%s\t%s\n' "$s" "$(describe "$s")" >>"$RAW/systems.tsv"; done
printf '# round\tsystem\ttest\tnp\tstatus\trc\tseconds\tfile\tnote\n' >"$RAW/runs.tsv"
for e in "${skip_note[@]+"${skip_note[@]}"}"; do
  s=${e%%$'\t'*}
  want "$s" && echo "compare: skipping $s: ${e#*$'\t'}" >&2
done

# ------------------------------------------------------------------------------------------------- runs
# Per-run limit: generous, since a 4 MiB bw iteration of MPJ Express moves 256 MiB.
LIMIT=$(awk -v n="$nsizes" -v b="$budget" -v j="$jit" 'BEGIN { printf "%d", 90 + n * (3 + 4 * b) + 2 * j }')
run_limit() { echo "$LIMIT"; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_oob_tcp_if_include=lo

command_for() { # system test np -> the command in array CMD
  local sys=$1 test=$2 np=$3
  local m="$size_min:$size_max"
  case $sys in
    jmpi-tcp|jmpi-shm)
      CMD=("$ROOT/bin/jmpirun" -np "$np" --transport "${sys#jmpi-}" --timeout "$LIMIT" --bench "$test"
           -m "$m" -t "$budget" "${jmpi_jit[@]+"${jmpi_jit[@]}"}" -s "$sys") ;;
    jmpi-mpj)
      CMD=(env MPJ_HOME="$MPJH" "$ROOT/bin/jmpirun" -np "$np" --backend mpj --timeout "$LIMIT" --bench "$test"
           -m "$m" -t "$budget" "${jmpi_jit[@]+"${jmpi_jit[@]}"}" -s "$sys") ;;
    openmpi-tcp|openmpi-shm)
      local tr=${sys#openmpi-}
      CMD=("$ROOT/bench/scripts/ompi-run.sh" "$test" "$np" "$tr"
           -m "$m" -t "$budget") ;;
    mpj-niodev)
      CMD=(env MPJ_HOME="$MPJH" "$MPJH/bin/mpjrun.sh" -np "$np" -dev niodev -machinesfile "$SESSION/machines" -dport "$DPORT"
           -cp "$MPJ_CLASSES" OsuMpj "$test" "m=$m" "t=$budget" "jit=$jit" "s=$sys") ;;
    mpj-multicore)
      CMD=(env MPJ_HOME="$MPJH" "$MPJH/bin/mpjrun.sh" -np "$np" -dev multicore
           -cp "$MPJ_CLASSES" OsuMpj "$test" "m=$m" "t=$budget" "jit=$jit" "s=$sys") ;;
  esac
}

# Runs CMD under `timeout` (its own process group, so the whole job goes on a time-out or Ctrl-C), with a watchdog
# that ends it when its output has not grown for STALL seconds (a hung job: MPJ Express's niodev hangs in some
# tests instead of failing); sets RC and STALLED.
run_cmd() { # stdout-file stderr-file limit-seconds [stall-seconds]
  local flag="$SESSION/stalled.$$" wd=""
  rm -f "$flag"
  (cd "$SESSION" && PATH="$(dirname "$JAVA"):$PATH" exec timeout -k 10 "$3" "${CMD[@]}") >"$1" 2>"$2" </dev/null &
  CUR_PID=$!
  if [[ -n ${4-} ]]; then
    watchdog "$CUR_PID" "$1" "$4" "$flag" &
    wd=$!
  fi
  wait "$CUR_PID"
  RC=$?
  CUR_PID=""
  if [[ -n $wd ]]; then
    kill -TERM "$wd" 2>/dev/null
    wait "$wd" 2>/dev/null
  fi
  STALLED=0
  [[ -f $flag ]] && STALLED=1
  rm -f "$flag"
}
watchdog() { # pid file stall flag
  local sp="" last=-1 same=0 size
  trap '[[ -n $sp ]] && kill "$sp" 2>/dev/null; exit 0' TERM
  while kill -0 "$1" 2>/dev/null; do
    sleep 1 &
    sp=$!
    wait "$sp"
    sp=""
    size=$(stat -c %s "$2" 2>/dev/null || echo 0)
    if [[ $size == "$last" ]]; then same=$((same + 1)); else same=0 last=$size; fi
    if ((same >= $3)); then
      : >"$4"
      kill -TERM "$1" 2>/dev/null
      return 0
    fi
  done
}
STALL=45

cases=()   # "test np"
for t in "${test_list[@]}"; do
  case $t in
    latency|bw|bibw) cases+=("$t 2") ;;
    *) for n in "${np_list[@]}"; do cases+=("$t $n"); done ;;
  esac
done
total_runs=$((repeats * ${#cases[@]} * ${#active[@]}))
done_runs=0

run_one() { # round system test np
  local round=$1 sys=$2 test=$3 np=$4
  local rel="r$round/$sys/$test-np$np.txt"
  mkdir -p "$RAW/r$round/$sys"
  command_for "$sys" "$test" "$np"
  local t0 t1 secs status note="" rows
  t0=$(date +%s%N)
  run_cmd "$RAW/$rel" "$RAW/${rel%.txt}.err" $((LIMIT + 15)) "$STALL"
  t1=$(date +%s%N)
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", (b-a)/1e9}')
  [[ $sys == mpj-niodev ]] && reap_daemon_children
  rows=$(awk '/^# jmpi-osu /{h=1; next} h && /^[0-9]/{n++} END{print n+0}' "$RAW/$rel")
  if ((STALLED)); then
    status=timeout note="stopped: no new output for $STALL s"
  elif ((RC == 124 || RC == 137)); then
    status=timeout note="no result after $LIMIT s"
  elif ((RC != 0)); then
    status=failed
  elif ((rows == 0)); then
    status=failed   # mpjrun exits 0 whatever its ranks do
  elif grep -qE '^(Exception|Caused by|.*Exception in thread)' "$RAW/${rel%.txt}.err" "$RAW/$rel" 2>/dev/null; then
    status=failed
  else
    status=ok
  fi
  if [[ $status != ok && -z $note ]]; then
    note=$(grep -hE 'Exception|[Ee]rror|failed|needs|not' "$RAW/${rel%.txt}.err" "$RAW/$rel" 2>/dev/null | grep -v '^#' | head -n 1 | tr '\t' ' ' | cut -c1-200)
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$sys" "$test" "$np" "$status" "$RC" "$secs" "$rel" "$note" >>"$RAW/runs.tsv"
  done_runs=$((done_runs + 1))
  log "[$done_runs/$total_runs] round $round $sys $test np=$np: $status, $rows rows, ${secs} s${note:+ ($note)}"
}

startup_one() { # round launcher
  local round=$1 name=$2 t0 t1 ok=1 f="$RAW/r$1/startup-$2.txt"
  mkdir -p "$RAW/r$round"
  case $name in
    jmpi)
      if has_class io/jmpi/bench/report/EmptyJob.class; then
        CMD=("$ROOT/bin/jmpirun" -np 2 -cp "$BENCH_JAR" io.jmpi.bench.report.EmptyJob)
      else
        CMD=("$ROOT/bin/jmpirun" -np 2 --example hello)
      fi ;;
    openmpi) CMD=(mpirun -np 2 --bind-to none --mca btl_tcp_if_include lo "$C_EMPTY") ;;
    mpj-multicore) CMD=(env MPJ_HOME="$MPJH" "$MPJH/bin/mpjrun.sh" -np 2 -dev multicore -cp "$MPJ_CLASSES" EmptyMpj) ;;
    mpj-niodev) CMD=(env MPJ_HOME="$MPJH" "$MPJH/bin/mpjrun.sh" -np 2 -dev niodev -machinesfile "$SESSION/machines"
                     -dport "$DPORT" -cp "$MPJ_CLASSES" EmptyMpj) ;;
  esac
  t0=$(date +%s%N)
  run_cmd "$f" "$f.err" 60
  t1=$(date +%s%N)
  ((RC == 0)) || ok=0
  grep -qE 'Exception|Error' "$f" "$f.err" 2>/dev/null && ok=0
  [[ $name == mpj-niodev ]] && reap_daemon_children
  if ((ok)); then
    printf '%s\t%s\t%s\n' "$round" "$name" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", (b-a)/1e6}')" >>"$RAW/startup.tsv"
  else
    printf '%s\t%s\tfail\texit %s: %s\n' "$round" "$name" "$RC" "$(grep -hE 'Exception|Error|error' "$f.err" "$f" 2>/dev/null | head -n 1 | tr '\t' ' ' | cut -c1-160)" >>"$RAW/startup.tsv"
  fi
}

launchers=()
[[ " ${active[*]} " == *" jmpi-"* ]] && launchers+=(jmpi)
[[ " ${active[*]} " == *" openmpi-"* && -x $C_EMPTY ]] && launchers+=(openmpi)
[[ " ${active[*]} " == *" mpj-multicore "* ]] && launchers+=(mpj-multicore)
[[ " ${active[*]} " == *" mpj-niodev "* ]] && launchers+=(mpj-niodev)
: >"$RAW/startup.tsv"
{
  printf 'jmpi\t%s\n' "bin/jmpirun -np 2 -cp jmpi-bench.jar io.jmpi.bench.report.EmptyJob"
  printf 'openmpi\t%s\n' "mpirun -np 2 --bind-to none empty-mpi (MPI_Init + MPI_Finalize in C)"
  printf 'mpj-multicore\t%s\n' "mpjrun.sh -np 2 -dev multicore EmptyMpj"
  printf 'mpj-niodev\t%s\n' "mpjrun.sh -np 2 -dev niodev EmptyMpj (daemon already running)"
} >"$RAW/startup-commands.tsv"

log "session $stamp: ${#active[@]} systems (${active[*]}), ${#cases[@]} cases, $repeats round(s), sizes $sizes, budget $budget s; load $load_start"
log "raw output: $RAW"
if ((!quick)) && awk -v l="${load_start%% *}" 'BEGIN{exit !(l > 1.5)}'; then
  echo "compare: warning: load average ${load_start%% *} > 1.5: other work competes for the 2 cores; figures will be noisy" >&2
fi

rotate() { # k items... -> items rotated left by k
  local k=$1; shift
  local n=$# i
  for ((i = 0; i < n; i++)); do
    local j=$(((i + k) % n + 1))
    printf '%s\n' "${!j}"
  done
}

for ((round = 1; round <= repeats; round++)); do
  mapfile -t order < <(rotate $((round - 1)) "${active[@]}")
  if ((startup_runs > 0 && ${#launchers[@]} > 0)); then
    mapfile -t lorder < <(rotate $((round - 1)) "${launchers[@]}")
    for ((k = 0; k < startup_runs; k++)); do
      for l in "${lorder[@]}"; do
        [[ $l == mpj-niodev ]] && ! start_daemon && continue
        startup_one "$round" "$l"
      done
    done
    log "round $round: start-up timed ($startup_runs × ${lorder[*]})"
  fi
  for c in "${cases[@]}"; do
    read -r test np <<<"$c"
    for sys in "${order[@]}"; do
      if [[ $sys == mpj-niodev ]] && ! start_daemon; then
        printf '%s\t%s\t%s\t%s\tfailed\t\t0\t-\tthe MPJ Express daemon could not be (re)started\n' "$round" "$sys" "$test" "$np" >>"$RAW/runs.tsv"
        continue
      fi
      run_one "$round" "$sys" "$test" "$np"
    done
  done
done
stop_daemon
for e in "${skip_note[@]+"${skip_note[@]}"}"; do
  s=${e%%$'\t'*}
  want "$s" && printf '0\t%s\t(all)\t0\tskipped\t\t0\t-\t%s\n' "$s" "${e#*$'\t'}" >>"$RAW/runs.tsv"
done
printf 'finished\t%s\n' "$(date -u '+%F %T UTC')" >>"$RAW/config.tsv"
sed -i "s|@LOAD_END@|$(cut -d' ' -f1-3 /proc/loadavg)|" "$RAW/machine-summary.md"

# ----------------------------------------------------------------------------------------------- report
if ! has_class io/jmpi/bench/report/Report.class; then
  echo "compare: no report class in ${BENCH_JAR:-(no jar)}; raw results are in $RAW" >&2
  exit 1
fi
mkdir -p "$out"
prefix="results/latest/"
log "report: $out"
"$JAVA" -cp "$REPORT_CP" io.jmpi.bench.report.Report "$RAW" "$out" --link-prefix "$prefix" || {
  echo "compare: the report failed; raw results are in $RAW" >&2
  exit 1
}
cp "$RAW"/{machine.txt,machine-summary.md,config.tsv,systems.tsv,runs.tsv,startup.tsv,startup-commands.tsv} "$out/" 2>/dev/null

if ((publish)); then
  latest="$ROOT/bench/results/latest"
  if [[ $(cd "$out" && pwd) != "$latest" ]]; then
    rm -rf "$latest" && cp -r "$out" "$latest"
  fi
  readme="$ROOT/bench/README.md"
  if grep -q '<!-- latest-results:begin -->' "$readme" 2>/dev/null; then
    awk -v f="$out/readme-summary.md" '
      /<!-- latest-results:begin -->/ { print; while ((getline l < f) > 0) print l; skip = 1; next }
      /<!-- latest-results:end -->/ { skip = 0 }
      !skip { print }' "$readme" >"$readme.tmp" && mv "$readme.tmp" "$readme"
    log "updated bench/README.md (Latest results) and bench/results/latest/"
  fi
fi
log "done: report in $out (results.md, results.csv, ratios.csv, *.png); raw logs in $RAW"
