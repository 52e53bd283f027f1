#!/usr/bin/env bash
# Redis from Debian's packages, our own instance on loopback with AOF persistence.
# Usage: infra/redis.sh install|start|stop|status|version|reset
source "$(dirname "$0")/lib.sh"

DATA="$LUKEMA_DATA/redis"
PID="$DATA/redis.pid"

install() { ensure_apt redis-server redis-server; }

start() {
  install
  mkdir -p "$DATA"
  if pid_alive "$PID"; then log "redis already running (pid $(cat "$PID"))"; else
    port_free "$REDIS_PORT" || die "port $REDIS_PORT is taken by another process"
    redis-server --port "$REDIS_PORT" --bind "$LUKEMA_HOST" --daemonize yes \
      --appendonly yes --appendfsync everysec --dir "$DATA" --pidfile "$PID" \
      --logfile "$DATA/redis.log" --save "" --maxmemory-policy noeviction
  fi
  wait_for_port "$REDIS_PORT" 30 redis
  until redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; do sleep 0.2; done
  log "redis ready at $LUKEMA_HOST:$REDIS_PORT ($(version))"
}

version() { redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p'; }

status() {
  if pid_alive "$PID" && redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
    echo "redis: running pid $(cat "$PID") at $LUKEMA_HOST:$REDIS_PORT ($(version))"
  else echo "redis: stopped"; return 1; fi
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  # SHUTDOWN flushes the AOF before exiting; stop_pid then waits for the process to go.
  stop) if pid_alive "$PID"; then redis-cli -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true; fi; stop_pid "$PID" 10 redis ;;
  status) status ;;
  version) version ;;
  reset) "$0" stop; rm -rf "$DATA" ;;
  *) echo "usage: $0 install|start|stop|status|version|reset" >&2; exit 2 ;;
esac
