#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (never a downloaded browser) with a CJK font so the
# Chinese scripts render. Installs both when missing and we may (root + apt); otherwise says how.
set -euo pipefail
have_font() { fc-list 2>/dev/null | grep -i 'wenquanyi\|noto sans cjk' >/dev/null; }
if command -v chromium >/dev/null 2>&1 && have_font; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian chromium and fonts-wqy-zenhei for the browser tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null
  exit 0
fi
echo "The browser tests need Debian's chromium and a CJK font: sudo apt-get install -y chromium fonts-wqy-zenhei" >&2
exit 1
