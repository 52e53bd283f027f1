#!/usr/bin/env bash
# Prometheus from Debian's `prometheus` package, our own instance on loopback scraping
# every Lukema service. The package's binaries are unpacked into the cache (no root, and no
# system service started on the package's default port).
# Usage: infra/prometheus.sh install|start|stop|status|version|reset
source "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)

HOME_DIR="$LUKEMA_CACHE/prometheus"
BIN="$HOME_DIR/usr/bin/prometheus"
DATA="$LUKEMA_DATA/prometheus"
PID="$DATA/prometheus.pid"
LOG="$DATA/prometheus.log"
CONF="$DATA/prometheus.yml"
TARGETS="$DATA/targets"
URL="http://$LUKEMA_HOST:$PROMETHEUS_PORT"
SCRAPE_INTERVAL="${PROMETHEUS_SCRAPE_INTERVAL:-5s}"

install() {
  [ -x "$BIN" ] && return 0
  log "installing prometheus from Debian's package (unpacked into $HOME_DIR)"
  local tmp; tmp=$(mktemp -d "${TMPDIR:-/tmp}/lukema-prometheus.XXXXXX")
  (cd "$tmp" && apt-get download -q prometheus >/dev/null 2>&1) || {
    [ -f "$LUKEMA_CACHE/.apt-updated" ] || { as_root apt-get update -q >/dev/null; mkdir -p "$LUKEMA_CACHE"; touch "$LUKEMA_CACHE/.apt-updated"; }
    (cd "$tmp" && apt-get download -q prometheus >/dev/null 2>&1)
  } || die "apt-get download prometheus failed"
  mkdir -p "$HOME_DIR"
  dpkg-deb -x "$tmp"/prometheus_*.deb "$HOME_DIR"
  rm -rf "$tmp"
}

# Scrape targets come from files (file_sd): `lukema.json` names the services at the ports
# this environment gives them; `npm start` rewrites it with what it actually runs (several
# workers), and tests add their own. Prometheus picks up a changed file without a restart.
configure() {
  mkdir -p "$TARGETS"
  if [ ! -f "$TARGETS/lukema.json" ]; then
    cat > "$TARGETS/lukema.json" <<JSON
[
  {"targets": ["$LUKEMA_HOST:$LUKEMA_INGEST_METRICS_PORT"], "labels": {"service": "ingest"}},
  {"targets": ["$LUKEMA_HOST:$LUKEMA_REGISTRY_METRICS_PORT"], "labels": {"service": "registry"}},
  {"targets": ["$LUKEMA_HOST:$LUKEMA_API_PORT"], "labels": {"service": "api"}}
]
JSON
  fi
  cat > "$CONF" <<YAML
# Written by infra/prometheus.sh; edit infra/prometheus/ instead.
global:
  scrape_interval: $SCRAPE_INTERVAL
  evaluation_interval: $SCRAPE_INTERVAL
rule_files:
  - $here/prometheus/rules/*.yml
scrape_configs:
  - job_name: lukema
    file_sd_configs:
      - files: ['$TARGETS/*.json']
        refresh_interval: 10s
YAML
}

start() {
  install
  umask 077
  lock_down "$DATA"
  configure
  "$HOME_DIR/usr/bin/promtool" check config "$CONF" >>"$LOG" 2>&1 || die "prometheus config invalid; see $LOG"
  if pid_alive "$PID"; then
    # Rules or config may have changed: reload (SIGHUP) instead of restarting.
    kill -HUP "$(cat "$PID")"
    log "prometheus already running (pid $(cat "$PID")), configuration reloaded"
  else
    port_free "$PROMETHEUS_PORT" || die "port $PROMETHEUS_PORT is taken by another process"
    nohup "$BIN" --config.file="$CONF" --storage.tsdb.path="$DATA/tsdb" \
      --storage.tsdb.retention.time=7d --web.listen-address="$LUKEMA_HOST:$PROMETHEUS_PORT" \
      >>"$LOG" 2>&1 &
    echo $! > "$PID"
  fi
  wait_http "$URL/-/ready" "$PID" prometheus 120 0.5
  log "prometheus ready at $URL ($(version))"
}

version() { "$BIN" --version 2>&1 | sed -n 's/^prometheus, version \([^ ]*\).*/\1/p'; }

status() {
  if pid_alive "$PID" && curl -fsS "$URL/-/ready" >/dev/null 2>&1; then
    echo "prometheus: running pid $(cat "$PID") at $URL ($(version))"
  else echo "prometheus: stopped"; return 1; fi
}

stop() { stop_pid "$PID" 20 prometheus; }

engine_main "$@"
