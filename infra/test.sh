#!/usr/bin/env bash
# The README's test command: installs what is missing, starts the engines, then runs lint,
# typecheck, unit and integration tests, and closes with one summary line.
set -uo pipefail
cd "$(dirname "$0")/.."
bash infra/bootstrap.sh || exit 1
rm -rf .test-results
npx turbo run lint typecheck test --concurrency=2 --continue=dependencies-successful
rc=$?
node infra/test-summary.mjs
exit $rc
