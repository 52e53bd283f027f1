#!/usr/bin/env bash
# Provisions topics, buckets and scoped tokens as code (idempotent), against the running stack.
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
npx --no-install tsx services/provision/src/index.ts
