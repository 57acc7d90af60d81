#!/usr/bin/env bash
# Installs Debian packages for the ensure-*.sh scripts, one install at a time: two test
# suites (or a suite and `npm start`) starting side by side on a fresh machine would
# otherwise meet dpkg's lock and fail. Waits for our own installs (a file lock) and for
# anyone else's apt (DPkg::Lock::Timeout). Usage: scripts/apt-install.sh PACKAGE... [apt options]
set -euo pipefail
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
exec 9>"${TMPDIR:-/tmp}/concert-history-apt.lock"
flock -w 1800 9 || { echo "apt-install: waited 30 minutes for another install to finish" >&2; exit 1; }
as_root apt-get -o DPkg::Lock::Timeout=900 update -qq
DEBIAN_FRONTEND=noninteractive as_root apt-get -o DPkg::Lock::Timeout=900 install -y -qq "$@" >/dev/null
