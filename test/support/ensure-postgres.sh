#!/usr/bin/env bash
# The PostgreSQL end-to-end project (jest project e2e-pg) starts a throwaway cluster of Debian's
# postgresql server (initdb + pg_ctl in a temp dir, never a system service). Installs the server
# when missing and we may (root + apt); otherwise says how.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian postgresql for the PostgreSQL end-to-end tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
  exit 0
fi
echo "The PostgreSQL end-to-end tests need Debian's postgresql server: sudo apt-get install -y postgresql" >&2
exit 1
