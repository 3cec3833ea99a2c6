#!/usr/bin/env bash
# bench/scripts/threads-vs-mpj.sh: ranks as threads of one JVM, jmpi against MPJ Express's multicore device (issue 23).
#
# One alternating run: in each of R rounds the same OSU-style ping-pong (latency test, 2 ranks, sizes MIN..MAX doubling)
# runs once on each system, the order swapped from round to round so that a slow spell of this shared machine hits
# both alike:
#   jmpi-local      bin/jmpirun -np 2 --transport local --bench latency          (io.jmpi.bench.Osu, ranks are threads)
#   mpj-multicore   mpjrun.sh -np 2 -dev multicore OsuMpj latency               (bench/mpj/OsuMpj.java, ranks are threads)
# jmpi's JVM runs with -Xlog:gc on its stdout, so each GC pause lands between two rows of the benchmark and is counted
# against the size that was running (pauses before the first row are start-up's); MPJ's JVMs log to files
# (JAVA_TOOL_OPTIONS), counted per run. `uptime` is recorded before every run.
#
# Output: the report (Markdown) at OUT (default bench/results/session5/threads-vs-mpj.md) with, per size, jmpi's
# mean/p50/p99/max one-way latency (median over rounds; max: the largest over rounds), MPJ's mean/p50, the ratio
# MPJ/jmpi and jmpi's GC pauses; then the goals of issue 23. Raw logs beside it in OUT's directory, raw-threads-vs-mpj/.
#
# On the shared dev machine run it under the heavy lock:  heavy bench/scripts/threads-vs-mpj.sh
# (it must not call `heavy` itself: the lock is not re-entrant).
#
# Usage: bench/scripts/threads-vs-mpj.sh [--rounds R] [--sizes MIN:MAX] [--budget S] [--buffer array|direct]
#                                        [--jmpi-jvm-args "ARGS"] [--out FILE]
# --jmpi-jvm-args: more options for jmpi's JVM (default none: both systems run with the JVM's defaults), e.g. "-Xmn64m"
# to tell start-up garbage from the message path's.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rounds=3 sizes="1:4194304" budget=0.2 buffer=array jvm_args="" out="$ROOT/bench/results/session5/threads-vs-mpj.md"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds=$2; shift ;;
    --sizes) sizes=$2; shift ;;
    --budget) budget=$2; shift ;;
    --buffer) buffer=$2; shift ;;
    --jmpi-jvm-args) jvm_args=$2; shift ;;
    --out) out=$2; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "threads-vs-mpj: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "threads-vs-mpj: --rounds must be a positive integer, got '$rounds'" >&2; exit 2; }
[[ $buffer == array || $buffer == direct ]] || { echo "threads-vs-mpj: --buffer must be array or direct, got '$buffer'" >&2; exit 2; }
command -v python3 >/dev/null || { echo "threads-vs-mpj: python3 is needed for the report" >&2; exit 2; }

JAVA=java
[[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]] && JAVA="$JAVA_HOME/bin/java"
JAVAC="$(dirname "$(readlink -f "$(command -v "$JAVA")")")/javac"
outdir="$(cd "$(dirname "$out")" 2>/dev/null && pwd || { mkdir -p "$(dirname "$out")" && cd "$(dirname "$out")" && pwd; })"
RAW="$outdir/raw-$(basename "$out" .md)"
BUILD="$ROOT/bench/target/threads-vs-mpj"
rm -rf "$RAW" && mkdir -p "$RAW" "$BUILD"

# ------------------------------------------------------------------------------------------ MPJ Express
shared_mpj=$("$ROOT/cluster-config/mpj/mpj-home.sh" "$BUILD/mpj-home-shared") ||
  { echo "threads-vs-mpj: MPJ Express is not installed (cluster-config/install-deps.sh --mpj)" >&2; exit 3; }
MPJH="$BUILD/mpj-home"
rm -rf "$MPJH" && cp -r "$shared_mpj" "$MPJH"
# a private copy with ports of its own (MPJ's defaults may be held by another user of the machine)
ports=($(shuf -i 41000-48999 -n 3))
sed -i -e "s/^mpjexpress.mpjdaemon.port.1=.*/mpjexpress.mpjdaemon.port.1=${ports[0]}/" \
       -e "s/^mpjexpress.mpjdaemon.port.2=.*/mpjexpress.mpjdaemon.port.2=${ports[1]}/" \
       -e "s/^mpjexpress.mpjrun.port.1=.*/mpjexpress.mpjrun.port.1=${ports[2]}/" "$MPJH/conf/mpjexpress.conf"
MPJ_CLASSES="$BUILD/mpj-classes"
if [[ ! -f $MPJ_CLASSES/OsuMpj.class || $ROOT/bench/mpj/OsuMpj.java -nt $MPJ_CLASSES/OsuMpj.class ]]; then
  rm -rf "$MPJ_CLASSES" && mkdir -p "$MPJ_CLASSES"
  "$JAVAC" -nowarn -d "$MPJ_CLASSES" -cp "$MPJH/lib/mpj.jar" "$ROOT/bench/mpj/OsuMpj.java" ||
    { echo "threads-vs-mpj: bench/mpj/OsuMpj.java does not compile" >&2; exit 1; }
fi

# ------------------------------------------------------------------------------------------------ runs
LIMIT=900
run_jmpi() { # round
  uptime >"$RAW/jmpi-$1.uptime"
  timeout -k 10 "$LIMIT" "$ROOT/bin/jmpirun" -np 2 --transport local --timeout "$LIMIT" --jvm-args="-Xlog:gc:stdout${jvm_args:+ $jvm_args}" \
    --bench latency -m "$sizes" -t "$budget" --buffer "$buffer" -s jmpi-local >"$RAW/jmpi-$1.txt" 2>"$RAW/jmpi-$1.err" </dev/null ||
    echo "threads-vs-mpj: jmpi round $1 failed (exit $?), see $RAW/jmpi-$1.err" >&2
}
run_mpj() { # round
  uptime >"$RAW/mpj-$1.uptime"
  mkdir -p "$RAW/mpj-$1-gc"
  (cd "$BUILD" && PATH="$(dirname "$JAVA"):$PATH" MPJ_HOME="$MPJH" JAVA_TOOL_OPTIONS="-Xlog:gc:file=$RAW/mpj-$1-gc/gc-%p.log" \
    timeout -k 10 "$LIMIT" "$MPJH/bin/mpjrun.sh" -np 2 -dev multicore -cp "$MPJ_CLASSES" OsuMpj latency \
    "m=$sizes" "t=$budget" jit=1 s=mpj-multicore) >"$RAW/mpj-$1.txt" 2>"$RAW/mpj-$1.err" </dev/null ||
    echo "threads-vs-mpj: MPJ round $1 failed (exit $?), see $RAW/mpj-$1.err" >&2
}
start=$(date -u +%Y-%m-%dT%H:%MZ)
for ((r = 1; r <= rounds; r++)); do
  echo "threads-vs-mpj: round $r of $rounds" >&2
  if ((r % 2)); then run_jmpi "$r"; run_mpj "$r"; else run_mpj "$r"; run_jmpi "$r"; fi
done
end=$(date -u +%Y-%m-%dT%H:%MZ)

# ---------------------------------------------------------------------------------------------- report
python3 - "$RAW" "$rounds" "$out" "$start" "$end" "$sizes" "$budget" "$buffer" "$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null)" "$jvm_args" <<'EOF'
import glob, os, re, statistics, sys
raw, rounds, out, start, end, sizes, budget, buffer, commit, jvm_args = sys.argv[1:]
rounds = int(rounds)

def rows(path):
    """{size: (mean, p50, p99, max)} and {size: GC pauses while it ran}, plus pauses before the first row."""
    res, gc, pending, startup, seen = {}, {}, 0, 0, False
    try:
        lines = open(path).read().splitlines()
    except OSError:
        return res, gc, None
    carry = ""
    for line in lines:
        if '[gc' in line:
            # the JVM's log line may cut into a row the program was writing: keep the row's start for the next line
            carry += line[:line.index('[')]
            if re.search(r'\bPause\b', line):
                pending += 1
            continue
        line, carry = carry + line, ""
        f = line.split()
        if len(f) == 5 and f[0].isdigit():
            s = int(f[0])
            res[s] = tuple(float(x) for x in f[1:])
            gc[s] = pending
            if not seen:
                # pauses before the first row: start-up, JIT warm-up and the first size together; the first size
                # alone cannot be told apart, so they are all counted as start-up
                startup, gc[s], seen = pending, 0, True
            pending = 0
    return res, gc, startup

def load(path):
    try:
        return open(path).read().strip()
    except OSError:
        return "?"

jm, mp = [], []
for r in range(1, rounds + 1):
    jm.append(rows(f"{raw}/jmpi-{r}.txt"))
    mp.append(rows(f"{raw}/mpj-{r}.txt"))
mpj_gc = []
for r in range(1, rounds + 1):
    n = 0
    for g in glob.glob(f"{raw}/mpj-{r}-gc/*.log"):
        n += sum(1 for l in open(g) if re.search(r'\bPause\b', l))
    mpj_gc.append(n)

sizes_all = sorted({s for res, _, _ in jm for s in res} | {s for res, _, _ in mp for s in res})
med = lambda xs: statistics.median(xs) if xs else float('nan')
def col(runs, s, i):
    return [res[s][i] for res, _, _ in runs if s in res]

lines = []
w = lines.append
w("# Ranks as threads of one JVM: jmpi `--transport local` vs MPJ Express multicore (issue 23)")
w("")
w(f"Made by `bench/scripts/threads-vs-mpj.sh` (under `heavy`), {start} - {end}, commit {commit}, {rounds} rounds "
  f"alternating jmpi and MPJ Express (order swapped each round), sizes {sizes} B, {budget} s of timed iterations per "
  f"size, jmpi buffers: {buffer}, jmpi JVM options: {'-Xlog:gc ' + jvm_args if jvm_args else '-Xlog:gc only (defaults)'}. Both run the same OSU-style ping-pong (blocking send/recv, 2 ranks as threads of one "
  "JVM; one-way latency = round trip / 2): `io.jmpi.bench.Osu` and `bench/mpj/OsuMpj.java`.")
w("")
w("Load average (`uptime`) before each run: " + "; ".join(
    f"round {r} jmpi {load(f'{raw}/jmpi-{r}.uptime').split('load average:')[-1].strip()}, "
    f"MPJ {load(f'{raw}/mpj-{r}.uptime').split('load average:')[-1].strip()}" for r in range(1, rounds + 1)))
w("")
w("Latency in us, one way. jmpi mean/p50/p99: median over rounds; max: the largest single iteration of any round. "
  "ratio = MPJ mean / jmpi mean (how many times faster jmpi is; p50 ratio in brackets). GC: jmpi's GC pauses while "
  "that size ran, summed over rounds (from `-Xlog:gc`).")
w("")
w("| size (B) | jmpi mean | jmpi p50 | jmpi p99 | jmpi max | MPJ mean | MPJ p50 | ratio (p50) | jmpi GC pauses |")
w("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
ratios = {}
for s in sizes_all:
    jmean, jp50, jp99 = med(col(jm, s, 0)), med(col(jm, s, 1)), med(col(jm, s, 2))
    jmax = max(col(jm, s, 3), default=float('nan'))
    mmean, mp50 = med(col(mp, s, 0)), med(col(mp, s, 1))
    ratio, ratio50 = mmean / jmean, mp50 / jp50
    ratios[s] = (ratio, ratio50)
    gcs = sum(g.get(s, 0) for _, g, _ in jm)
    w(f"| {s} | {jmean:.2f} | {jp50:.2f} | {jp99:.2f} | {jmax:.2f} | {mmean:.2f} | {mp50:.2f} | {ratio:.1f}x ({ratio50:.1f}x) | {gcs} |")
w("")
startup = [st for _, _, st in jm]
during = [sum(g.values()) for _, g, _ in jm]
w("GC pauses per round, jmpi: " + ", ".join(
    f"round {r + 1}: {during[r]} while sizes ran + {startup[r]} at start-up (before the first row)" for r in range(rounds))
  + "; MPJ Express (all its JVMs): " + ", ".join(str(n) for n in mpj_gc) + ".")
w("")

# goals
big = max(sizes_all) if sizes_all else None
w("## Goals (issue 23)")
w("")
if big is not None:
    means = col(jm, big, 0)
    p50s = col(jm, big, 1)
    maxes = col(jm, big, 3)
    steady_rounds = max(means) / med(means) if means else float('nan')
    steady_iter = [m / p for m, p in zip(maxes, p50s)]
    w(f"- 0 GC pauses in a whole run: {'met' if all(d + s == 0 for d, s in zip(during, startup)) else 'not met'} "
      f"(pauses while sizes ran: {during}; at start-up: {startup}).")
    w(f"- {big} B round trips steady (max within 1.5x of the median): over rounds, largest round mean / median of "
      f"round means = {steady_rounds:.2f}x ({'met' if steady_rounds <= 1.5 else 'not met'}); within each round, "
      f"slowest iteration / p50 = " + ", ".join(f"{x:.2f}x" for x in steady_iter) + "; p99 / p50 = "
      + ", ".join(f"{a / b:.2f}x" for a, b in zip(col(jm, big, 2), p50s)) + ".")
    r4, r4p = ratios[big]
    w(f"- >= 2x faster than MPJ Express multicore at {big} B: {r4:.2f}x mean, {r4p:.2f}x p50 "
      f"({'met' if r4 >= 2 else 'not met'}).")
    small = [s for s in sizes_all if s <= 1024]
    if small:
        worst = min(small, key=lambda s: ratios[s][0])
        worst50 = min(small, key=lambda s: ratios[s][1])
        w(f"- >= 20x faster at small sizes (1 B - 1 KiB): smallest ratio {ratios[worst][0]:.1f}x mean at {worst} B, "
          f"{ratios[worst50][1]:.1f}x p50 at {worst50} B ({'met' if ratios[worst][0] >= 20 else 'not met'} on means, "
          f"{'met' if ratios[worst50][1] >= 20 else 'not met'} on p50).")
w("")
w(f"Raw output: `{os.path.relpath(raw, os.path.dirname(os.path.abspath(out)))}/` (jmpi-R.txt with its GC log inline, "
  "mpj-R.txt, mpj-R-gc/, *.uptime).")
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
EOF
