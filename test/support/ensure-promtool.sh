#!/usr/bin/env bash
# test/e2e/prometheus-metrics.e2e-spec.ts lints a real scrape of GET /metrics with
# `promtool check metrics` (Debian's prometheus package ships promtool; the server is never
# started). Installs it when missing and we may (root + apt); otherwise says why, and the spec
# skips that check printing the same reason.
set -euo pipefail
if command -v promtool >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian prometheus (for promtool) for the /metrics lint…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  exit 0
fi
echo "promtool is not installed and cannot be here (needs root and apt): the /metrics lint is skipped; sudo apt-get install -y prometheus" >&2
exit 0
