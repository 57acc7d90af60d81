#!/usr/bin/env bash
# Makes sure MariaDB and Redis answer on the ports of DATABASE_URL / REDIS_URL
# (defaults 3306 / 6379 on 127.0.0.1). When nothing listens there it starts them
# with their data in .data/ (git-ignored), installing them with apt-get first when
# they are missing. Services on another host are left alone.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA="$ROOT/.data"
mkdir -p "$DATA"

# host and port of a URL like mysql://user@host:port/db
url_host() { local rest=${1#*://}; rest=${rest#*@}; rest=${rest%%/*}; echo "${rest%%:*}"; }
url_port() { local rest=${1#*://}; rest=${rest#*@}; rest=${rest%%/*}; [[ $rest == *:* ]] && echo "${rest##*:}" || echo "$2"; }
is_local() { [[ $1 == 127.0.0.1 || $1 == localhost || $1 == ::1 ]]; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for_port() {
  for _ in $(seq 1 120); do listening "$1" && return 0; sleep 0.5; done
  echo "ensure-services: $2 did not start listening on port $1; see $3" >&2
  exit 1
}
apt_install() {
  command -v apt-get >/dev/null || { echo "ensure-services: $1 is not installed and apt-get is unavailable; install it yourself (see README)." >&2; exit 1; }
  echo "ensure-services: $1 is not installed; installing it with apt-get ($*)."
  bash "$(dirname "$0")/apt-install.sh" "${@:2}"
}

DATABASE_URL=${DATABASE_URL:-mysql://root@127.0.0.1:3306/concert_history}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}

start_mariadb() {
  local port=$1 dir="$DATA/mariadb-$1"
  command -v mariadbd >/dev/null || [[ -x /usr/sbin/mariadbd ]] || apt_install MariaDB mariadb-server
  local mariadbd; mariadbd=$(command -v mariadbd || echo /usr/sbin/mariadbd)
  if [[ ! -d "$dir/mysql" ]]; then
    echo "ensure-services: creating a MariaDB data folder in $dir"
    mariadb-install-db --no-defaults --datadir="$dir" --user="$(id -un)" --auth-root-authentication-method=normal \
      --skip-test-db >"$DATA/mariadb-$port-install.log" 2>&1
  fi
  echo "ensure-services: starting MariaDB on 127.0.0.1:$port (data: $dir)"
  nohup "$mariadbd" --no-defaults --datadir="$dir" --port="$port" --bind-address=127.0.0.1 \
    --socket="$DATA/mariadb-$port.sock" --pid-file="$DATA/mariadb-$port.pid" --user="$(id -un)" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    >"$DATA/mariadb-$port.log" 2>&1 &
  wait_for_port "$port" MariaDB "$DATA/mariadb-$port.log"
}

start_redis() {
  local port=$1 dir="$DATA/redis-$1"
  command -v redis-server >/dev/null || apt_install Redis redis-server
  mkdir -p "$dir"
  echo "ensure-services: starting Redis on 127.0.0.1:$port (data: $dir)"
  # noeviction: BullMQ must never lose queue keys to memory pressure.
  redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --dir "$dir" --appendonly yes \
    --save "" --maxmemory-policy noeviction --logfile "$DATA/redis-$port.log"
  wait_for_port "$port" Redis "$DATA/redis-$port.log"
}

db_host=$(url_host "$DATABASE_URL"); db_port=$(url_port "$DATABASE_URL" 3306)
redis_host=$(url_host "$REDIS_URL"); redis_port=$(url_port "$REDIS_URL" 6379)

if is_local "$db_host"; then
  listening "$db_port" && echo "ensure-services: MariaDB/MySQL is up on port $db_port" || start_mariadb "$db_port"
fi
if is_local "$redis_host"; then
  listening "$redis_port" && echo "ensure-services: Redis is up on port $redis_port" || start_redis "$redis_port"
fi
