#!/usr/bin/env bash
# Shared settings and helpers for the local engine scripts. Sourced, never run.
# Every setting can be overridden from the environment; defaults keep the engines
# on loopback and their downloads/builds cached outside the clone.
set -euo pipefail

LUKEMA_CACHE="${LUKEMA_CACHE:-$HOME/.cache/lukema}"
LUKEMA_DATA="${LUKEMA_DATA:-$LUKEMA_CACHE/data}"
LUKEMA_HOST="127.0.0.1"

KAFKA_VERSION="${KAFKA_VERSION:-4.1.1}"
KAFKA_PORT="${KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19093}"
KAFKA_HEAP="${KAFKA_HEAP:-768m}"

INFLUXDB_VERSION="${INFLUXDB_VERSION:-v2.7.12}"
INFLUXDB_PORT="${INFLUXDB_PORT:-18086}"
INFLUXDB_ORG="${INFLUXDB_ORG:-lukema}"

REDIS_PORT="${REDIS_PORT:-16379}"

PROMETHEUS_PORT="${PROMETHEUS_PORT:-19090}"
# The services' metrics ports, as the services default them (packages/platform/src/config.ts).
LUKEMA_API_PORT="${LUKEMA_API_PORT:-18080}"
LUKEMA_INGEST_METRICS_PORT="${LUKEMA_INGEST_METRICS_PORT:-18091}"
LUKEMA_REGISTRY_METRICS_PORT="${LUKEMA_REGISTRY_METRICS_PORT:-18092}"

log() { printf '[infra %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Waits until a TCP port on loopback accepts connections, or fails after $2 seconds.
wait_for_port() {
  local port=$1 timeout=${2:-60} name=${3:-service} waited=0
  until (exec 3<>"/dev/tcp/$LUKEMA_HOST/$port") 2>/dev/null; do
    sleep 0.5
    waited=$((waited + 1))
    if [ "$waited" -ge $((timeout * 2)) ]; then
      die "$name did not open port $port within ${timeout}s"
    fi
  done
}

port_open() { (exec 3<>"/dev/tcp/$LUKEMA_HOST/$1") 2>/dev/null; }

# Fails when the port is still taken after $2 seconds (default 10): an engine that was just
# stopped can hold its port for a moment while its last threads exit.
port_free() {
  local port=$1 wait=${2:-10} i=0
  while port_open "$port"; do
    [ "$i" -lt $((wait * 5)) ] || return 1
    sleep 0.2; i=$((i + 1))
  done
}

# Reads a pid file and tells whether that process is alive.
pid_alive() {
  local file=$1 pid state
  [ -f "$file" ] || return 1
  pid=$(cat "$file")
  kill -0 "$pid" 2>/dev/null || return 1
  # A killed process whose parent has not reaped it yet still answers kill -0.
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo X)
  [ "$state" != "Z" ] && [ "$state" != "X" ]
}

# Stops the process in a pid file: TERM, then KILL after $2 seconds.
stop_pid() {
  local file=$1 grace=${2:-20} name=${3:-process} i=0
  local pid; pid=$(cat "$file" 2>/dev/null || true)
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then rm -f "$file"; log "$name stopped"; return 0; fi
  kill "$pid" 2>/dev/null || true
  while pid_alive "$file"; do
    sleep 0.5; i=$((i + 1))
    if [ "$i" -ge $((grace * 2)) ]; then log "$name did not stop in ${grace}s, killing"; kill -9 "$pid" 2>/dev/null || true; fi
  done
  # The thread-group leader shows as a zombie while a multi-threaded engine's other threads
  # still exit (and hold its sockets): wait until only the leader's entry is left.
  i=0
  while [ -d "/proc/$pid/task" ] && [ "$(ls "/proc/$pid/task" 2>/dev/null | wc -l)" -gt 1 ] && [ "$i" -lt 50 ]; do
    sleep 0.2; i=$((i + 1))
  done
  rm -f "$file"
  log "$name stopped"
}

# Waits until an engine's HTTP endpoint answers: dies when its process (pid file $2) exits or
# after $4 tries $5 seconds apart.
wait_http() {
  local url=$1 pidfile=$2 name=$3 tries=$4 delay=$5 i=0
  until curl -fsS "$url" >/dev/null 2>&1; do
    sleep "$delay"; i=$((i + 1))
    pid_alive "$pidfile" || die "$name exited; see $LOG"
    [ "$i" -lt "$tries" ] || die "$name not ready within $(awk "BEGIN{print $tries*$delay}")s; see $LOG"
  done
}

# The commands an engine script answers, once its install/start/stop/status/version are defined.
engine_main() {
  case "${1:-}" in
    install) install ;;
    start) start ;;
    stop) stop ;;
    status) status ;;
    version) version ;;
    reset) stop; rm -rf "$DATA" ;;
    *) echo "usage: $0 install|start|stop|status|version|reset" >&2; exit 2 ;;
  esac
}

# Data at rest is the owner's only: a folder is 700 and nothing in it is readable by group
# or others (this also locks down files an older stack left at 644). Engines are started
# under umask 077 (each engine script's start) so the files they create later are 600 as well.
lock_down() {
  mkdir -p "$LUKEMA_DATA" "$1"
  chmod 700 "$LUKEMA_DATA" "$1"
  # A running engine may delete files meanwhile (Kafka removes a deleted topic's
  # `…-delete` folder): a file that vanished needs no mode; any other failure stops here.
  local failed
  failed=$(chmod -R go-rwx "$1" 2>&1 | grep -v 'No such file or directory' || true)
  if [ -n "$failed" ]; then
    echo "$failed" >&2
    return 1
  fi
}

# The umask a running process was started with, e.g. 0022.
umask_of() { awk '/^Umask:/ {print $2}' "/proc/$1/status" 2>/dev/null; }

# Tells whether the engine in a pid file runs under umask 077; one started by an older
# script (umask 022) is restarted so that its new files are not world-readable.
runs_locked() { [ "$(umask_of "$(cat "$1")")" = "0077" ]; }

# Runs a command with root rights, as root or through sudo.
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Installs Debian packages if a command is missing (apt lists refreshed once).
ensure_apt() {
  local cmd=$1; shift
  command -v "$cmd" >/dev/null 2>&1 && return 0
  log "installing $* from Debian packages"
  if [ ! -f "$LUKEMA_CACHE/.apt-updated" ]; then
    as_root apt-get update -q >/dev/null
    mkdir -p "$LUKEMA_CACHE" && touch "$LUKEMA_CACHE/.apt-updated"
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q "$@" >/dev/null
}
