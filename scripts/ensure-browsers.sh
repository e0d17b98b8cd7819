#!/usr/bin/env bash
# Installs Debian's browsers the tests and the demo drive, if they are missing.
# Nothing downloads a browser of its own: Playwright only drives /usr/bin/chromium, and
# puppeteer-core only drives /usr/bin/firefox-esr.
# Usage: scripts/ensure-browsers.sh [chromium] [firefox-esr]
set -euo pipefail
wanted=("${@:-chromium}")
missing=()
for pkg in "${wanted[@]}"; do
  command -v "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing: ${missing[*]}. Install with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
