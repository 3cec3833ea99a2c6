#!/usr/bin/env bash
# Runs a command on test host HOST (h1, h2 or h3): in its network namespace, with its hostname,
# and with its /etc/hosts (h1..h3 resolve to 10.231.0.1..3). The command keeps this shell's
# environment, working directory, files and PID space. Exit status is the command's.
# If SLURM_CONF is unset and Slurm is up (slurm-up.sh), SLURM_CONF is set for the command.
#
# Usage: on-host.sh HOST COMMAND [ARGS...]
#   on-host.sh h1 ssh -F /tmp/jmpi-testhosts/ssh_config h2 hostname
#   on-host.sh h1 srun -N3 -n6 hostname
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$HERE/lib.sh"

[[ $# -ge 2 ]] || { echo "usage: $0 HOST COMMAND [ARGS...]" >&2; exit 2; }
host=$1
shift
[[ " ${HOSTS[*]} " == *" $host "* ]] || die "unknown host '$host' (known: ${HOSTS[*]})"
need_root
if [[ -z ${SLURM_CONF-} && -s $DIR/slurm.conf ]]; then
  export SLURM_CONF=$DIR/slurm.conf
fi
host_cmd "$host"
exec "${HOST_CMD[@]}" "$@"
