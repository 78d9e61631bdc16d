#!/usr/bin/env bash
# Installs the real peers the end-to-end tests talk to, from Debian's packages, when missing:
# dcmtk (storescu, echoscu, storescp) and chromium (the console tests). Runs before `npm test`; a no-op when all are present.
set -euo pipefail
PACKAGES=(dcmtk chromium)
missing=()
for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages for the tests: ${missing[*]} (run: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
