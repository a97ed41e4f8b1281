#!/usr/bin/env bash
# install-chromium.sh: Debian's Chromium, for tests/test_report.py (which opens the
# report in a headless browser and skips, saying why, without one). Needs root and
# apt-get; does nothing when chromium is already installed.
set -euo pipefail

command -v chromium >/dev/null && exit 0
[ "$(id -u)" = 0 ] || { echo "install-chromium: must run as root" >&2; exit 1; }
command -v apt-get >/dev/null || { echo "install-chromium: no apt-get" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
# another apt may hold the lock for a while (e.g. unattended upgrades on CI machines)
for try in 1 2 3 4 5 6 7 8 9 10; do
  apt-get update -q </dev/null && apt-get install -y -q --no-install-recommends chromium </dev/null && exit 0
  [ "$try" = 10 ] && { echo "install-chromium: apt-get failed" >&2; exit 1; }
  echo "install-chromium: apt-get failed, retrying in 10 s"; sleep 10
done
