#!/usr/bin/env bash
# Strong scaling of one example: runs it on 1, 2 and 4 ranks (RANKS="1 2 4" to change) with the same arguments and
# prints the wall times from the examples' summary lines, the speedup over one rank and the parallel efficiency.
# Each rank count runs REPEAT times (default 1) and the fastest run counts (the usual way to filter out noise from
# other work on the machine). JMPIRUN_OPTS adds launcher options, e.g. JMPIRUN_OPTS="--transport tcp".
#
#   examples/scaling.sh NAME [example args...]      e.g.  examples/scaling.sh matmul --n=1200
#   examples/scaling.sh --all                        every example with its default size, NPB kernels class A
#
# The time is the example's own timed region (the parallel kernel), not JVM start-up.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ranks="${RANKS:-1 2 4}"
repeat="${REPEAT:-1}"

if [ "${1:-}" = "--all" ]; then
  shift
  printf '%-14s %-22s %5s %10s %8s %10s  %s\n' example args ranks time/s speedup efficiency verified
  while read -r name args; do
    # shellcheck disable=SC2086
    NO_HEADER=1 "$0" "$name" $args "$@"
  done <<'LIST'
pi
montecarlo-pi
mandelbrot --png=
matmul
jacobi --png=
samplesort
nbody
wordcount
npb-ep --class=A
npb-is --class=A
npb-cg --class=A
LIST
  exit 0
fi

if [ $# -lt 1 ]; then
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
name="$1"
shift
[ -n "${NO_HEADER:-}" ] || printf '%-14s %-22s %5s %10s %8s %10s  %s\n' example args ranks time/s speedup efficiency verified

base=""
for np in $ranks; do
  best=""
  verified=yes
  for _ in $(seq "$repeat"); do
    # shellcheck disable=SC2086
    out="$("$here/bin/jmpirun" -np "$np" ${JMPIRUN_OPTS:-} --example "$name" "$@" 2>&1)" || true
    line="$(grep -E "^$name ranks=$np .* verified: (yes|no)\$" <<<"$out" | tail -1 || true)"
    if [ -z "$line" ]; then
      echo "scaling: $name on $np ranks printed no summary line:" >&2
      echo "$out" | tail -20 >&2
      exit 1
    fi
    t="$(sed -E 's/.* time=([0-9.]+)s .*/\1/' <<<"$line")"
    case "$line" in *"verified: yes") ;; *) verified=no ;; esac
    if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best="$t"; fi
  done
  [ -n "$base" ] || base="$best"
  awk -v n="$name" -v a="$*" -v p="$np" -v t="$best" -v b="$base" -v v="$verified" \
    'BEGIN { s = b / t; printf "%-14s %-22s %5d %10.3f %8.2f %9.0f%%  %s\n", n, substr(a, 1, 22), p, t, s, 100 * s / p, v }'
done
