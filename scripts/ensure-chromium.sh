#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (headless) through Playwright.
# Installs it when missing (as root, with apt-get); a machine where it cannot
# be installed fails here, naming what is missing, rather than later.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium is missing: install Debian's chromium package (the browser tests need it)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q chromium fonts-dejavu-core >/dev/null \
  || { apt-get update -q >/dev/null && apt-get install -y -q chromium fonts-dejavu-core >/dev/null; }
command -v chromium >/dev/null
