#!/usr/bin/env bash
# Stops what `npm start` started: the processes it recorded (pid files under
# $LUKEMA_DATA/run), then the engines. Never by a name pattern: that would match other
# users' processes, and other clones' pipelines, on the same host.
source "$(dirname "$0")/lib.sh"

# The start time (clock ticks since boot) of a live process, empty when there is none (a
# zombie counts as gone).
start_ticks() {
  sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '$1 != "Z" && $1 != "X" {print $20}' || true
}

# Stops the process a pid file records (id, start time): TERM, then KILL after $2 seconds.
# A file whose process is gone, or whose id now belongs to another process, is removed.
stop_recorded() {
  local file=$1 grace=${2:-30} pid ticks i=0
  pid=$(sed -n 1p "$file"); ticks=$(sed -n 2p "$file")
  if [ -z "$pid" ] || [ "$(start_ticks "$pid")" != "$ticks" ]; then rm -f "$file"; return 0; fi
  kill "$pid" 2>/dev/null || true
  while [ "$(start_ticks "$pid")" = "$ticks" ]; do
    sleep 0.5; i=$((i + 1))
    if [ "$i" -ge $((grace * 2)) ]; then log "$(basename "$file" .pid) did not stop in ${grace}s, killing"; kill -9 "$pid" 2>/dev/null || true; fi
  done
  rm -f "$file"
  log "$(basename "$file" .pid) stopped"
}

# The supervisors first (`local.pid` for `npm start`, `local-demo.pid` for `--once`): they
# stop their services in order, and a service stopped before its supervisor would be
# restarted by it. Then whatever is still recorded (a supervisor that was killed hard).
for file in "$LUKEMA_DATA"/run/local*.pid "$LUKEMA_DATA"/run/*.pid; do
  if [ -f "$file" ]; then stop_recorded "$file"; fi
done
bash "$(dirname "$0")/stack.sh" down
