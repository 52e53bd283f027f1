#!/usr/bin/env bash
# Makes a fresh clone runnable: npm dependencies, then the local engines (installed when
# missing, started when stopped, reused when running). Safe to run again and again.
source "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

t0=$SECONDS
stamp="node_modules/.lukema-lock"
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  log "installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
t1=$SECONDS
bash infra/stack.sh up
# The browser the console's browser tests drive (Debian's chromium, like the engines).
bash infra/chromium.sh install
bash infra/provision.sh
log "bootstrap: npm $((t1 - t0))s, engines $((SECONDS - t1))s ($(bash infra/stack.sh versions))"
