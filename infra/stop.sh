#!/usr/bin/env bash
# Stops whatever `npm start` started: the pipeline processes, then the engines.
source "$(dirname "$0")/lib.sh"
pkill -f 'lukema-(ingest|headend-sim)' 2>/dev/null || true
bash "$(dirname "$0")/stack.sh" down
