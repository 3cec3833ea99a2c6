#!/usr/bin/env bash
# Assembles a working MPJ_HOME for MPJ Express 0.44 from Debian's libmpj-java and prints its path.
#
# Why: Debian's /usr/bin/mpjrun fails as shipped (NoClassDefFoundError: org/apache/log4j/Layout).
# The MPJ jars' manifests name their dependencies by Class-Path relative to the jar itself
# (log4j-1.2.jar, commons-cli.jar, commons-codec.jar, commons-io.jar), but Debian keeps those in
# /usr/share/java, and the jars in /usr/share/mpj/lib are symlinks, so the JVM looks beside the
# link's target. A private lib/ holding real copies of all of them fixes that.
#
# Usage: mpj-home.sh [DIR]   (default ${XDG_CACHE_HOME:-$HOME/.cache}/jmpi/mpj-home)
# Result: DIR/lib/*.jar, DIR/conf/ (copy of /etc/mpj), DIR/bin/mpjrun.sh, DIR/bin/mpjdaemon.sh.
# Idempotent: an up-to-date DIR (same package version) is left as it is.
# Exit codes: 0 ok, 3 MPJ Express not installed, 1 other failure.
set -euo pipefail

MPJ_LIB=/usr/share/mpj/lib
MPJ_CONF=/etc/mpj
JAVA_DIR=/usr/share/java
# Names as the manifests' Class-Path spells them (org.mortbay.jetty.jar, named by starter.jar,
# is not needed to run jobs and is not packaged in Debian).
DEPS=(log4j-1.2.jar commons-cli.jar commons-codec.jar commons-io.jar)

dir=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/jmpi/mpj-home}
[[ -n $dir && $dir != / ]] || { echo "mpj-home: bad directory '$dir'" >&2; exit 1; }

if [[ ! -f $MPJ_LIB/mpj.jar || ! -f $MPJ_LIB/starter.jar || ! -d $MPJ_CONF ]]; then
  echo "MPJ Express is not installed: run 'apt-get install libmpj-java' (or cluster-config/install-deps.sh --mpj)" >&2
  exit 3
fi
for d in "${DEPS[@]}"; do
  [[ -f $JAVA_DIR/$d ]] || {
    echo "mpj-home: $JAVA_DIR/$d is missing (a dependency of libmpj-java): reinstall libmpj-java" >&2
    exit 1
  }
done

version=$(dpkg-query -W -f='${Version}' libmpj-java 2>/dev/null || echo unknown)
stamp="libmpj-java $version; layout 3"
if [[ -f $dir/.jmpi-mpj-home && "$(<"$dir/.jmpi-mpj-home")" == "$stamp" && -f $dir/lib/mpj.jar ]]; then
  echo "$dir"
  exit 0
fi
if [[ -e $dir && ! -f $dir/.jmpi-mpj-home ]] && [[ -n "$(ls -A "$dir" 2>/dev/null)" ]]; then
  echo "mpj-home: $dir exists and was not made by this script; remove it or choose another DIR" >&2
  exit 1
fi

mkdir -p "$(dirname "$dir")"
tmp=$(mktemp -d "$dir.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/lib" "$tmp/conf" "$tmp/bin" "$tmp/logs"
cp -L "$MPJ_LIB"/*.jar "$tmp/lib/"
for d in "${DEPS[@]}"; do cp -L "$JAVA_DIR/$d" "$tmp/lib/$d"; done
cp -L "$MPJ_CONF"/* "$tmp/conf/"

cat >"$tmp/bin/mpjrun.sh" <<'EOF'
#!/bin/sh
# mpjrun for this MPJ_HOME: mpjrun.sh -np N -dev multicore|niodev [-machinesfile F] -cp CP Class [args]
MPJ_HOME=$(cd "$(dirname "$0")/.." && pwd)
export MPJ_HOME
exec java -jar "$MPJ_HOME/lib/starter.jar" "$@"
EOF
cat >"$tmp/bin/mpjdaemon.sh" <<'EOF'
#!/bin/sh
# Runs an MPJ Express daemon in the foreground: mpjdaemon.sh [PORT] (default 40055).
# It forks rank JVMs with the `java` on its PATH, in its own environment (not mpjrun's), in
# $user.home/.mpj_users/USER/<uuid>/, wiping that directory at each job. Daemons that share a file
# system (the namespaced test hosts) must each have their own: set MPJ_DAEMON_HOME to a directory
# (created here: the daemon does not create it, and a missing one makes mpjrun hang).
# MPJ_DAEMON_JAVA_OPTS: more JVM options for the daemon. Stop it by its PID (TERM; ~0.5 s).
MPJ_HOME=$(cd "$(dirname "$0")/.." && pwd)
export MPJ_HOME
home_opt=
if [ -n "${MPJ_DAEMON_HOME-}" ]; then
  mkdir -p "$MPJ_DAEMON_HOME" || exit 1
  home_opt=-Duser.home=$MPJ_DAEMON_HOME
fi
# shellcheck disable=SC2086 # word splitting of the options is wanted
exec java $home_opt ${MPJ_DAEMON_JAVA_OPTS-} -cp "$MPJ_HOME/lib/daemon.jar" runtime.daemon.MPJDaemon "${1:-40055}"
EOF
chmod 755 "$tmp/bin/"*.sh
echo "$stamp" >"$tmp/.jmpi-mpj-home"
chmod 755 "$tmp"

rm -rf "$dir"
mv "$tmp" "$dir"
trap - EXIT
echo "$dir"
