#!/usr/bin/env bash
# Installs the Debian packages that jmpi's test hosts, Slurm cluster, Open MPI benchmarks and
# MPJ Express comparison need. Idempotent: runs `apt-get update` only when a wanted package is
# missing, and installs only what is missing.
#
# Usage: cluster-config/install-deps.sh [--list] [--all|--ssh|--slurm|--openmpi|--mpj|--chromium]...   (default: --all)
#   --list: print the wanted packages that are missing, one a line, and install nothing (any user)
#   --chromium: headless Chromium, which renders jmpirun --trace's HTML timeline in TimelineHtmlIT (docs/TOOLS.md).
set -euo pipefail

usage() {
  echo "usage: $0 [--list] [--all|--ssh|--slurm|--openmpi|--mpj|--chromium]..." >&2
  exit 2
}

SSH_PKGS=(openssh-server openssh-client iproute2 procps)
SLURM_PKGS=(slurm-wlm munge libpmix2)
OPENMPI_PKGS=(openmpi-bin libopenmpi-dev)
MPJ_PKGS=(libmpj-java)
CHROMIUM_PKGS=(chromium)

wanted=()
list=""
if [[ "${1:-}" == --list ]]; then list=1; shift; fi
[[ $# -eq 0 ]] && set -- --all
for arg in "$@"; do
  case "$arg" in
    --all) wanted+=("${SSH_PKGS[@]}" "${SLURM_PKGS[@]}" "${OPENMPI_PKGS[@]}" "${MPJ_PKGS[@]}" "${CHROMIUM_PKGS[@]}") ;;
    --ssh) wanted+=("${SSH_PKGS[@]}") ;;
    --slurm) wanted+=("${SLURM_PKGS[@]}") ;;
    --openmpi) wanted+=("${OPENMPI_PKGS[@]}") ;;
    --mpj) wanted+=("${MPJ_PKGS[@]}") ;;
    --chromium) wanted+=("${CHROMIUM_PKGS[@]}") ;;
    -h|--help) usage ;;
    *) echo "$0: unknown option '$arg'" >&2; usage ;;
  esac
done

installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" == installed ]]
}

missing=()
for p in "${wanted[@]}"; do
  installed "$p" || [[ " ${missing[*]-} " == *" $p "* ]] || missing+=("$p")
done

if [[ -n "$list" ]]; then
  [[ ${#missing[@]} -eq 0 ]] || printf '%s\n' "${missing[@]}"
  exit 0
fi

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all wanted packages already installed"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: must run as root to install: ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp /tmp/jmpi-install-deps.XXXXXX.log)
trap 'rm -f "$log"' EXIT

fail() {
  echo "install-deps: $1 failed; last lines of its output:" >&2
  tail -n 20 "$log" >&2
  exit 1
}

apt-get update -q >"$log" 2>&1 || fail "apt-get update"
apt-get install -y -q --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
  "${missing[@]}" >"$log" 2>&1 || fail "apt-get install ${missing[*]}"

for p in "${missing[@]}"; do
  installed "$p" || { echo "install-deps: package $p is still not installed" >&2; exit 1; }
done
echo "install-deps: installed ${missing[*]}"
