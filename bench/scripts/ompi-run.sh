#!/usr/bin/env bash
# Runs jmpi's C OSU-style benchmark (bench/c/osu.c) under Open MPI on this machine, building it
# first if needed, and prints its output.
#
# Usage: bench/scripts/ompi-run.sh TEST NP tcp|shm [osu options: -m MIN:MAX -i N -x N -t S ...]
#   tcp: --mca pml ob1 --mca btl tcp,self over loopback; shm: --mca btl vader,self (shared memory)
# Env: MPIRUN_EXTRA (more mpirun options, split on spaces).
set -euo pipefail

[[ $# -ge 3 ]] || { echo "usage: $0 TEST NP tcp|shm [osu options]" >&2; exit 2; }
test=$1 np=$2 transport=$3
shift 3
[[ $np =~ ^[1-9][0-9]*$ ]] || { echo "$0: NP must be a positive integer, got '$np'" >&2; exit 2; }
case $transport in
  tcp) mca=(--mca pml ob1 --mca btl "tcp,self" --mca btl_tcp_if_include lo) ;;
  shm) mca=(--mca pml ob1 --mca btl "vader,self") ;;
  *) echo "$0: transport must be tcp or shm, got '$transport'" >&2; exit 2 ;;
esac

if ! command -v mpicc >/dev/null || ! command -v mpirun >/dev/null; then
  echo "$0: Open MPI not found: run cluster-config/install-deps.sh --openmpi" >&2
  exit 1
fi

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../c" && pwd)
if [[ ! -x $src/osu || $src/osu.c -nt $src/osu ]]; then
  make -s -C "$src" osu >&2
fi

# 2 cores: allow more ranks than cores; keep ranks unbound so they can share them.
over=()
((np > $(nproc))) && over=(--oversubscribe)
extra=()
[[ -n ${MPIRUN_EXTRA-} ]] && read -r -a extra <<<"$MPIRUN_EXTRA"

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
exec mpirun -np "$np" "${over[@]}" --bind-to none "${mca[@]}" "${extra[@]}" \
  "$src/osu" "$test" -s "openmpi-$transport" "$@"
