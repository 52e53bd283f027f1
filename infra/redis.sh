#!/usr/bin/env bash
# Redis from Debian's packages, our own instance on loopback with AOF persistence and a
# password (generated once, kept with the other secrets, mode 600).
# Usage: infra/redis.sh install|start|stop|status|version|reset
source "$(dirname "$0")/lib.sh"

DATA="$LUKEMA_DATA/redis"
PID="$DATA/redis.pid"
CONF="$DATA/redis.conf"
SECRETS="$LUKEMA_DATA/secrets"
PASSWORD_FILE="${LUKEMA_REDIS_PASSWORD_FILE:-$SECRETS/redis-password}"

install() { ensure_apt redis-server redis-server; }

# The password never appears on a command line (visible in ps): redis-server reads it from
# its config file (mode 600), redis-cli from REDISCLI_AUTH.
ensure_password() {
  lock_down "$(dirname "$PASSWORD_FILE")"
  if [ ! -s "$PASSWORD_FILE" ]; then
    (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$PASSWORD_FILE")
    log "redis password generated ($PASSWORD_FILE)"
  fi
  REDISCLI_AUTH=$(cat "$PASSWORD_FILE")
  export REDISCLI_AUTH
}

configure() {
  (umask 077 && cat > "$CONF" <<CONF
port $REDIS_PORT
bind $LUKEMA_HOST
daemonize yes
appendonly yes
appendfsync everysec
dir $DATA
pidfile $PID
logfile $DATA/redis.log
save ""
maxmemory-policy noeviction
requirepass $REDISCLI_AUTH
CONF
  )
}

cli() { redis-cli --no-auth-warning -h "$LUKEMA_HOST" -p "$REDIS_PORT" "$@"; }
# Answers PONG only when Redis accepts our password.
ping_ok() { cli ping 2>/dev/null | grep -q PONG; }
# Answers PONG when Redis runs without a password (a stack started by an older script).
open_to_all() { env -u REDISCLI_AUTH redis-cli -h "$LUKEMA_HOST" -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

# An instance an older script started (no password, umask 022) is restarted with the
# config: SHUTDOWN flushes the AOF first, so nothing is lost.
upgrade() {
  pid_alive "$PID" || return 0
  if open_to_all; then
    log "redis runs without a password: restarting it with one"
    env -u REDISCLI_AUTH redis-cli -h "$LUKEMA_HOST" -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true
    stop_pid "$PID" 10 redis
  elif ! runs_locked "$PID"; then
    log "redis runs with umask $(umask_of "$(cat "$PID")"): restarting it with 077"
    cli shutdown >/dev/null 2>&1 || true
    stop_pid "$PID" 10 redis
  fi
}

start() {
  install
  ensure_password
  lock_down "$DATA"
  configure
  upgrade
  if pid_alive "$PID"; then log "redis already running (pid $(cat "$PID"))"; else
    port_free "$REDIS_PORT" || die "port $REDIS_PORT is taken by another process"
    (umask 077 && redis-server "$CONF")
  fi
  wait_for_port "$REDIS_PORT" 30 redis
  local i=0
  until ping_ok; do
    sleep 0.2; i=$((i + 1))
    [ "$i" -lt 150 ] || die "redis does not accept the password in $PASSWORD_FILE"
  done
  log "redis ready at $LUKEMA_HOST:$REDIS_PORT ($(version))"
}

version() { redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p'; }

status() {
  [ -s "$PASSWORD_FILE" ] && { REDISCLI_AUTH=$(cat "$PASSWORD_FILE"); export REDISCLI_AUTH; }
  if pid_alive "$PID" && { ping_ok || open_to_all; }; then
    echo "redis: running pid $(cat "$PID") at $LUKEMA_HOST:$REDIS_PORT ($(version))"
  else echo "redis: stopped"; return 1; fi
}

stop() {
  if pid_alive "$PID"; then
    [ -s "$PASSWORD_FILE" ] && { REDISCLI_AUTH=$(cat "$PASSWORD_FILE"); export REDISCLI_AUTH; }
    # SHUTDOWN flushes the AOF before exiting; stop_pid then waits for the process to go.
    cli shutdown >/dev/null 2>&1 || env -u REDISCLI_AUTH redis-cli -h "$LUKEMA_HOST" -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true
  fi
  stop_pid "$PID" 10 redis
}

engine_main "$@"
