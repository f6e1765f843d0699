#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (never a downloaded browser). Install it when missing and we may.
set -euo pipefail
# Chinese fonts too, or the screenshots show empty boxes instead of characters.
have_fonts() { fc-list :lang=zh 2>/dev/null | grep -q .; }
if [ -x /usr/bin/chromium ] && have_fonts; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  exit 0
fi
if [ -x /usr/bin/chromium ]; then
  echo "No Chinese font found: screenshots will show boxes. Run 'sudo apt-get install -y fonts-noto-cjk'." >&2
  exit 0
fi
echo "The browser tests need Debian's chromium at /usr/bin/chromium: run 'sudo apt-get install -y chromium fonts-noto-cjk'." >&2
exit 1
