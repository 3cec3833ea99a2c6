#!/usr/bin/env bash
# bench/tls-cost.sh: what TLS (jmpirun --tls) costs against plain TCP, on this machine, in one short session.
#
# Makes a throw-away PKCS12 keystore (EC P-256, self-signed) with the JDK's keytool in a temporary directory, then
# runs R rounds; in each round the OSU-style latency and bw tests (io.jmpi.bench.Osu, 2 ranks, --transport tcp)
# run once plain and once with --tls, the order alternating from round to round so that a slow spell of this
# shared machine hits both alike. Prints, per size, the median over the rounds of each figure and the ratio
# tls/plain (latency: mean and p50 per iteration; bandwidth: MB/s, 1 MB = 1e6 bytes).
#
# Usage: bench/tls-cost.sh [--rounds R] [--sizes MIN:MAX] [--budget S] [--jit-warmup S] [--keep DIR]
#   defaults: 3 rounds, sizes 8:4194304, 0.05 s per size, 0.5 s JIT warm-up (about 1.5-2.5 min on 2 busy cores)
# Environment: JAVA_HOME (keytool and the ranks' java).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=3 sizes=8:4194304 budget=0.05 jit=0.5 keep=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds=${2-}; shift ;;
    --sizes) sizes=${2-}; shift ;;
    --budget) budget=${2-}; shift ;;
    --jit-warmup) jit=${2-}; shift ;;
    --keep) keep=${2-}; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "tls-cost: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "tls-cost: --rounds must be a positive integer" >&2; exit 2; }
[[ $sizes =~ ^[0-9]+:[0-9]+$ ]] || { echo "tls-cost: --sizes must be MIN:MAX" >&2; exit 2; }

if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/keytool" ]]; then
  KEYTOOL="$JAVA_HOME/bin/keytool"
else
  KEYTOOL="$(dirname "$(readlink -f "$(command -v java)")")/keytool"
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/jmpi-tls-cost.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
# the password goes to the ranks through the environment only, never a command line
JMPI_TLS_PASSWORD="$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
export JMPI_TLS_PASSWORD
"$KEYTOOL" -genkeypair -alias jmpi -keyalg EC -groupname secp256r1 -sigalg SHA256withECDSA -dname CN=jmpi-bench \
  -validity 1 -storetype PKCS12 -keystore "$tmp/job.p12" -storepass:env JMPI_TLS_PASSWORD \
  -keypass:env JMPI_TLS_PASSWORD -noprompt >/dev/null 2>&1 || { echo "tls-cost: keytool failed" >&2; exit 1; }

run() { # mode test round
  local mode=$1 test=$2 round=$3 extra=()
  [[ $mode == tls ]] && extra=(--tls -D "tlsKeystore=$tmp/job.p12")
  if ! "$ROOT/bin/jmpirun" -np 2 --transport tcp "${extra[@]}" --timeout 150 --bench "$test" -m "$sizes" \
      -t "$budget" --jit-warmup "$jit" -s "jmpi-tcp-$mode" >"$tmp/$test-$mode-$round.txt" 2>"$tmp/$test-$mode-$round.err"; then
    echo "tls-cost: $test $mode round $round failed:" >&2
    tail -5 "$tmp/$test-$mode-$round.err" >&2
    exit 1
  fi
}

start=$(date +%s)
for ((r = 1; r <= rounds; r++)); do
  if ((r % 2)); then order="plain tls"; else order="tls plain"; fi
  for test in latency bw; do
    for mode in $order; do
      printf 'tls-cost: round %d/%d %-7s %-5s\n' "$r" "$rounds" "$test" "$mode" >&2
      run "$mode" "$test" "$r"
    done
  done
done
[[ -n $keep ]] && { mkdir -p "$keep"; cp "$tmp"/*.txt "$keep"/; }

echo "# TLS cost: jmpi over TCP loopback, 2 ranks, $rounds rounds (medians), $(date -u +%Y-%m-%dT%H:%MZ)," \
  "load $(cut -d' ' -f1-3 /proc/loadavg), $(( $(date +%s) - start )) s"
# rows of every file: test mode round size v1 [v2]  (latency: avg p50; bw: MB/s)
for f in "$tmp"/*-*-*.txt; do
  b=$(basename "$f" .txt); IFS=- read -r test mode round <<<"$b"
  awk -v t="$test" -v m="$mode" -v r="$round" '/^[0-9]/ { print t, m, r, $1, $2, (NF > 2 ? $3 : "") }' "$f"
done | awk -v rounds="$rounds" '
  function median(key,   n, i, j, a, tmp) {
    n = cnt[key]; if (n == 0) return -1
    for (i = 1; i <= n; i++) a[i] = val[key, i]
    for (i = 2; i <= n; i++) { tmp = a[i]; for (j = i - 1; j >= 1 && a[j] > tmp; j--) a[j + 1] = a[j]; a[j + 1] = tmp }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  function add(key, v) { cnt[key]++; val[key, cnt[key]] = v }
  {
    sizes[$4] = 1
    if ($1 == "latency") { add("lat " $2 " " $4, $5); add("p50 " $2 " " $4, $6) } else add("bw " $2 " " $4, $5)
  }
  function ratio(a, b) { return (a > 0 && b > 0) ? sprintf("%.2f", a / b) : "n/a" }
  function num(v, fmt) { return v < 0 ? "n/a" : sprintf(fmt, v) }
  END {
    n = 0; for (s in sizes) list[++n] = s + 0
    for (i = 2; i <= n; i++) { t = list[i]; for (j = i - 1; j >= 1 && list[j] > t; j--) list[j + 1] = list[j]; list[j + 1] = t }
    printf "%9s | %10s %10s %6s %7s | %10s %10s %6s\n", "size", "lat plain", "lat tls", "ratio", "p50 r.", "bw plain", "bw tls", "ratio"
    printf "%9s | %10s %10s %6s %7s | %10s %10s %6s\n", "bytes", "us", "us", "t/p", "t/p", "MB/s", "MB/s", "t/p"
    for (i = 1; i <= n; i++) {
      s = list[i]
      lp = median("lat plain " s); lt = median("lat tls " s)
      pp = median("p50 plain " s); pt = median("p50 tls " s)
      bp = median("bw plain " s); bt = median("bw tls " s)
      printf "%9d | %10s %10s %6s %7s | %10s %10s %6s\n", s, num(lp, "%.2f"), num(lt, "%.2f"), ratio(lt, lp), ratio(pt, pp),
        num(bp, "%.1f"), num(bt, "%.1f"), ratio(bt, bp)
    }
  }'
