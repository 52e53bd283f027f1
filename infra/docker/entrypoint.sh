#!/bin/sh
# The one Lukema image's entry: the first argument chooses the service.
#   docker run lukema ingest | registry | api | rollup | rollups backfill … | provision | headend-sim feed … | rights … |
#                     replay-dead-letters … | <any other command>
set -eu
cd /app
service=${1:-}
[ $# -gt 0 ] && shift
case "$service" in
  ingest) exec node --max-old-space-size=256 --max-semi-space-size=16 --heap-growing-percent=100 --import tsx services/ingest/src/main.ts "$@" ;;
  registry) exec node --import tsx services/registry/src/main.ts "$@" ;;
  api) exec node --import tsx services/api/src/main.ts "$@" ;;
  rollup) exec node --import tsx services/rollup/src/main.ts "$@" ;;
  rollups) exec node --import tsx services/rollup/src/cli.ts "$@" ;;
  provision) exec node --import tsx services/provision/src/index.ts "$@" ;;
  headend-sim) exec node --import tsx services/headend-sim/src/cli.ts "$@" ;;
  rights) exec node --import tsx services/api/src/cli.ts "$@" ;;
  replay-dead-letters) exec node --import tsx services/ingest/src/replay-cli.ts "$@" ;;
  "") echo "usage: <ingest|registry|api|rollup|rollups|provision|headend-sim|rights|replay-dead-letters> [args]" >&2; exit 2 ;;
  *) exec "$service" "$@" ;;
esac
