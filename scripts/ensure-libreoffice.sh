#!/usr/bin/env bash
# The print tests convert report workbooks to PDF with LibreOffice (headless), as
# an accountant's office suite would print them. Installs Debian's headless Calc
# when missing (as root, with apt-get); a machine where it cannot be installed
# fails here, naming what is missing, rather than later.
set -euo pipefail
if command -v soffice >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "soffice is missing: install Debian's libreoffice-calc-nogui package (the print tests need it)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
packages="libreoffice-calc-nogui fonts-liberation"
apt-get install -y -q --no-install-recommends $packages >/dev/null \
  || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $packages >/dev/null; }
command -v soffice >/dev/null
