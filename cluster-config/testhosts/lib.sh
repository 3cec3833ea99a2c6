# Shared definitions for the test-host scripts (sourced, not run).
#
# Three "hosts" h1..h3 are network namespaces jmpi-h1..jmpi-h3 with addresses 10.231.0.1..3/24,
# joined by a bridge that lives in its own namespace (jmpi-br). Everything else (keys, configs,
# pid files, logs, Slurm state) lives under one state directory.
# shellcheck shell=bash disable=SC2034

JMPI_TESTHOSTS_DIR=${JMPI_TESTHOSTS_DIR:-/tmp/jmpi-testhosts}
DIR=$JMPI_TESTHOSTS_DIR
NS_PREFIX=jmpi-
BRIDGE_NS=${NS_PREFIX}br
SUBNET=10.231.0.0/24
HOSTS=(h1 h2 h3)
MARKER=.jmpi-testhosts   # present in $DIR only if these scripts created it; guards `rm -rf`
# Each host's /dev/shm: a directory of the machine's /dev/shm (tmpfs), bind-mounted over /dev/shm on that host, so
# that, as on real machines, processes on different hosts do not share /dev/shm (jmpi's host identity, and with it
# the choice between shared memory and TCP, depends on it).
SHM_ROOT=/dev/shm/jmpi-testhosts

ns_of() { echo "${NS_PREFIX}$1"; }
shm_of() { echo "$SHM_ROOT/$1"; }
addr_of() { echo "10.231.0.${1#h}"; }

die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

need_root() {
  [[ $(id -u) -eq 0 ]] || die "must run as root (network namespaces, daemons)"
}

check_dir() {
  case "$DIR" in
    "" | / | /tmp | /root | /home | /etc | /usr | /var) die "refusing state directory '$DIR'" ;;
  esac
}

# Sets HOST_CMD to the command prefix that runs a command "on" host $1: in its network namespace,
# with its own hostname, and with /etc/netns/<ns>/hosts bind-mounted over /etc/hosts and the host's
# own directory over /dev/shm, in a private mount namespace. Unlike `ip netns exec`, this keeps /sys
# (and /sys/fs/cgroup) as it is: slurmd needs it. nsenter, unshare and sh all exec, so the command
# keeps the caller's PID.
host_cmd() {
  local host=$1 ns shm
  ns=$(ns_of "$host")
  shm=$(shm_of "$host")
  [[ -e /run/netns/$ns ]] || die "host $host is not up (no /run/netns/$ns): run hosts-up.sh"
  [[ -d $shm ]] || die "host $host has no $shm: run hosts-up.sh"
  # shellcheck disable=SC2016 # $1.. are expanded by the inner sh
  HOST_CMD=(nsenter --net="/run/netns/$ns" -- unshare --mount --uts --
    sh -c 'mount --bind "$1" /etc/hosts && mount --bind "$3" /dev/shm && hostname "$2" && shift 3 && exec "$@"'
    sh "/etc/netns/$ns/hosts" "$host" "$shm")
}

# Runs a command on host $1 (see host_cmd).
on_host() {
  host_cmd "$1"
  shift
  "${HOST_CMD[@]}" "$@"
}

# Is process $1 alive? A zombie is not: daemons are re-parented to PID 1, and on this kind of
# machine PID 1 reaps only every ~2 s, so `kill -0` alone would wait for that.
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

# Is the process in pid file $1 alive?
pid_alive() {
  local pid
  [[ -s $1 ]] || return 1
  pid=$(<"$1")
  [[ $pid =~ ^[0-9]+$ ]] && alive "$pid"
}

# Stops the process recorded in pid file $1: TERM, wait up to ~3 s, then KILL. Removes the file.
stop_pidfile() {
  local f=$1 pid i
  [[ -s $f ]] || { rm -f "$f"; return 0; }
  pid=$(<"$f")
  if [[ $pid =~ ^[0-9]+$ ]] && alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      alive "$pid" || break
      sleep 0.05
    done
    if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$f"
}

# Waits (bounded, $2 tenths of a second) for file $1 to be non-empty.
wait_file() {
  local i
  for ((i = 0; i < $2; i++)); do
    [[ -s $1 ]] && return 0
    sleep 0.1
  done
  return 1
}
