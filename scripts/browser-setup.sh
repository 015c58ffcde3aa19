#!/usr/bin/env bash
# Installs what the browser verifier's test (wallet-cli/tests/browser.rs) drives when it is
# missing: Debian's chromium and chromium-driver (about 150 MB to download the first time).
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "browser-setup: chromium and chromium-driver are missing; install them as root:" \
        "apt-get install -y chromium chromium-driver" >&2
    exit 1
fi
start=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium chromium-driver >/dev/null
echo "browser-setup: chromium and chromium-driver installed in $(( $(date +%s) - start )) s"
