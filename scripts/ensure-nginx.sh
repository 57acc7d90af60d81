#!/usr/bin/env bash
# Makes sure Debian's nginx is installed, for `npm run topology`, which starts its
# own nginx with deploy/nginx/nginx.conf as a child process: installs the package
# with apt-get when it is missing, as scripts/ensure-services.sh does for MariaDB
# and Redis. Prints the path of the nginx binary on its last line.
set -euo pipefail
find_nginx() { command -v nginx || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; } || true; }

if [[ -z "$(find_nginx)" ]]; then
  command -v apt-get >/dev/null || { echo "ensure-nginx: nginx is not installed and apt-get is unavailable; install nginx yourself." >&2; exit 1; }
  echo "ensure-nginx: nginx is not installed; installing it with apt-get (nginx)." >&2
  bash "$(dirname "$0")/apt-install.sh" nginx
fi
nginx=$(find_nginx)
[[ -n "$nginx" ]] || { echo "ensure-nginx: nginx is still missing after installing it" >&2; exit 1; }
echo "$nginx"
