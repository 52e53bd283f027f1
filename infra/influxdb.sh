#!/usr/bin/env bash
# InfluxDB 2.x on loopback: built from its Go module (with the Rust Flux library), cached
# by version outside the clone. Usage: infra/influxdb.sh install|start|stop|status|token
source "$(dirname "$0")/lib.sh"

BIN_DIR="$LUKEMA_CACHE/influxdb/$INFLUXDB_VERSION"
BIN="$BIN_DIR/influxd"
DATA="$LUKEMA_DATA/influxdb"
PID="$DATA/influxd.pid"
LOG="$DATA/influxd.log"
TOKEN_FILE="$DATA/operator-token"
URL="http://$LUKEMA_HOST:$INFLUXDB_PORT"

install() {
  if [ -x "$BIN" ]; then return 0; fi
  command -v go >/dev/null || die "Go is needed to build influxd"
  command -v cargo >/dev/null || die "Rust (cargo) is needed to build Flux for influxd"
  ensure_apt pkg-config pkg-config
  local build="$LUKEMA_CACHE/influxdb/build-$INFLUXDB_VERSION"
  mkdir -p "$build" "$BIN_DIR"
  log "building influxd $INFLUXDB_VERSION from source (a cold build takes ~4-6 min)"
  local t0=$SECONDS
  (
    cd "$build"
    [ -f go.mod ] || go mod init lukema.local/influxd-build >/dev/null 2>&1
    go get -tool github.com/influxdata/pkg-config@v0.2.14 >/dev/null 2>&1
    go get -tool "github.com/influxdata/influxdb/v2/cmd/influxd@$INFLUXDB_VERSION" >/dev/null 2>&1
    go build -o pkg-config github.com/influxdata/pkg-config
    # Flux pins an old Rust and denies warnings; today's compiler adds lints it trips.
    # RUSTFLAGS does not reach the host build-script compile under --target, a wrapper does.
    printf '#!/bin/sh\nexec "$@" --cap-lints=warn\n' > rustc-wrapper
    chmod +x rustc-wrapper
    PKG_CONFIG="$build/pkg-config" RUSTUP_TOOLCHAIN=stable RUSTC_WRAPPER="$build/rustc-wrapper" \
      CGO_ENABLED=1 go build -tags sqlite_foreign_keys,sqlite_json -ldflags "-X main.version=${INFLUXDB_VERSION#v}" -o "$BIN.tmp" \
      github.com/influxdata/influxdb/v2/cmd/influxd
    mv "$BIN.tmp" "$BIN"
  )
  log "influxd built in $((SECONDS - t0))s"
}

start() {
  install
  # InfluxDB's engine files, logs and tokens are the owner's only (see lock_down in lib.sh).
  umask 077
  lock_down "$DATA"
  if pid_alive "$PID" && ! runs_locked "$PID"; then
    log "influxdb runs with umask $(umask_of "$(cat "$PID")"): restarting it with 077"
    stop_pid "$PID" 30 influxdb
  fi
  if pid_alive "$PID"; then log "influxdb already running (pid $(cat "$PID"))"; else
    port_free "$INFLUXDB_PORT" || die "port $INFLUXDB_PORT is taken by another process"
    nohup "$BIN" --bolt-path "$DATA/influxd.bolt" --engine-path "$DATA/engine" \
      --http-bind-address "$LUKEMA_HOST:$INFLUXDB_PORT" --reporting-disabled --ui-disabled \
      --log-level warn >>"$LOG" 2>&1 &
    echo $! > "$PID"
  fi
  wait_http "$URL/health" "$PID" influxd 200 0.3
  onboard
  log "influxdb ready at $URL ($("$BIN" version | awk '{print $2}'))"
}

# Onboards once: creates the org, an initial bucket and the operator token. The operator
# token is kept in the data folder (never in the repo); buckets and scoped tokens are
# provisioned as code by the provision service.
onboard() {
  if [ -s "$TOKEN_FILE" ]; then return 0; fi
  local allowed
  allowed=$(curl -fsS "$URL/api/v2/setup" | grep -o '"allowed": *[a-z]*' | awk '{print $2}')
  [ "$allowed" = "true" ] || die "influxdb is onboarded but $TOKEN_FILE is missing; run 'infra/influxdb.sh reset'"
  local token; token=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  curl -sS --fail-with-body -X POST "$URL/api/v2/setup" -H 'Content-Type: application/json' \
    -d "{\"username\":\"lukema-admin\",\"password\":\"$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')\",\"org\":\"$INFLUXDB_ORG\",\"bucket\":\"lukema-setup\",\"token\":\"$token\"}" >/dev/null
  umask 077; printf '%s' "$token" > "$TOKEN_FILE"
  log "influxdb onboarded (org $INFLUXDB_ORG)"
}

status() {
  if pid_alive "$PID" && curl -fsS "$URL/health" >/dev/null 2>&1; then
    echo "influxdb: running pid $(cat "$PID") at $URL ($("$BIN" version | awk '{print $2}'))"
  else echo "influxdb: stopped"; return 1; fi
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop_pid "$PID" 30 influxdb ;;
  status) status ;;
  token) cat "$TOKEN_FILE" ;;
  version) "$BIN" version | awk '{print $2}' ;;
  reset) stop_pid "$PID" 30 influxdb; rm -rf "$DATA" ;;
  *) echo "usage: $0 install|start|stop|status|token|version|reset" >&2; exit 2 ;;
esac
