#!/usr/bin/env bash
# The whole local stack. Usage: infra/stack.sh up|down|status|versions
# `up` installs what is missing, starts each engine (reusing a running one) and waits
# until every one is ready.
source "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)

case "${1:-}" in
  up)
    t0=$SECONDS
    # Kafka's jars and the influxd build are independent: fetch both at once.
    "$here/kafka.sh" install & kpid=$!
    "$here/redis.sh" install
    "$here/influxdb.sh" install
    "$here/prometheus.sh" install
    wait "$kpid"
    t1=$SECONDS
    "$here/redis.sh" start
    "$here/influxdb.sh" start
    "$here/kafka.sh" start
    "$here/prometheus.sh" start
    log "stack up: install $((t1 - t0))s, start $((SECONDS - t1))s"
    ;;
  down)
    "$here/prometheus.sh" stop; "$here/kafka.sh" stop; "$here/influxdb.sh" stop; "$here/redis.sh" stop ;;
  status)
    rc=0
    "$here/kafka.sh" status || rc=1; "$here/influxdb.sh" status || rc=1; "$here/redis.sh" status || rc=1
    "$here/prometheus.sh" status || rc=1
    exit $rc ;;
  versions)
    echo "kafka=$("$here/kafka.sh" version) influxdb=$("$here/influxdb.sh" version) redis=$("$here/redis.sh" version) prometheus=$("$here/prometheus.sh" version)" ;;
  *) echo "usage: $0 up|down|status|versions" >&2; exit 2 ;;
esac
