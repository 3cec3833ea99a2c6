#!/usr/bin/env bash
# mpjrun.sh: MPJ Express's command line on jmpi, for programs written against the mpiJava 1.2 API:
#   mpjrun.sh -np 4 -dev multicore|niodev|hybdev [-machinesfile FILE] [-wdir DIR] -cp CP Class [args...]
# translated by io.jmpi.launch.MpjRun to 'jmpirun --api mpijava ...' (README.md, "Coming from MPJ Express").
#
# -wdir DIR is applied here: the ranks run in DIR, as MPJ Express's do, and a JVM cannot change its own working
# directory. The rest, including the first-use build, is bin/jmpirun's.
set -euo pipefail

src="${BASH_SOURCE[0]}"
while [ -L "$src" ]; do
  dir="$(cd -P "$(dirname "$src")" && pwd)"
  src="$(readlink "$src")"
  case "$src" in /*) ;; *) src="$dir/$src" ;; esac
done
bin="$(cd -P "$(dirname "$src")" && pwd)"

# Find -wdir among mpjrun's own options, which end at the program (a class name, or -jar JAR). Options that take a
# value are skipped with it, so a value is never mistaken for the program.
args=("$@")
i=0
while [ "$i" -lt "${#args[@]}" ]; do
  case "${args[$i]}" in
    -wdir)
      if [ $((i + 1)) -ge "${#args[@]}" ]; then break; fi # the launcher reports the missing value
      wdir="${args[$((i + 1))]}"
      if ! cd "$wdir" 2>/dev/null; then
        echo "mpjrun.sh: -wdir $wdir: no such directory" >&2
        exit 2
      fi
      i=$((i + 2)) ;;
    -np|-dev|-machinesfile|-cp|-classpath|-psl|-dport|-mpjport|-mxboardnum|-headnodeip) i=$((i + 2)) ;;
    -jar) break ;;
    -*) i=$((i + 1)) ;;
    *) break ;;
  esac
done

exec "$bin/jmpirun" --as-mpjrun "$@"
