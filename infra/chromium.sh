#!/usr/bin/env bash
# The browser for the console's browser tests: Debian's chromium package, installed like the
# engines (once, from the distribution's repository), driven by playwright-core.
source "$(dirname "$0")/lib.sh"

case "${1:-install}" in
  install)
    ensure_apt chromium chromium
    ;;
  path)
    command -v chromium || { echo "chromium is not installed (bash infra/chromium.sh install)" >&2; exit 1; }
    ;;
  version)
    chromium --version 2>/dev/null || echo "chromium: not installed"
    ;;
  *)
    echo "usage: $0 install|path|version" >&2
    exit 2
    ;;
esac
