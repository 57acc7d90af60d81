#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (never a downloaded browser build).
# Installs it with apt-get when it is missing; CHROMIUM_PATH points elsewhere if you have your own.
set -euo pipefail
path=${CHROMIUM_PATH:-/usr/bin/chromium}
[[ -x $path ]] && exit 0
command -v apt-get >/dev/null || { echo "ensure-chromium: no Chromium at $path and no apt-get; install Chromium and set CHROMIUM_PATH." >&2; exit 1; }
echo "ensure-chromium: Chromium is not installed; installing Debian's chromium package with apt-get."
bash "$(dirname "$0")/apt-install.sh" chromium
