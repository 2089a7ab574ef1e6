#!/usr/bin/env bash
# Make sure PostgreSQL and Redis (and wrk, for `make bench`) are installed and answering on 127.0.0.1.
# Installs them from Debian's packages where missing; exits non-zero if either cannot be reached.
set -euo pipefail

PG_HOST=127.0.0.1
PG_PORT=${PG_PORT:-5432}
REDIS_PORT=${REDIS_PORT:-6379}
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

log() { printf '[services] %s\n' "$*"; }

apt_install() {
  log "installing $*"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

pg_ready() { pg_isready -h "$PG_HOST" -p "$PG_PORT" -q 2>/dev/null; }
redis_ready() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; }

ensure_postgres() {
  command -v pg_isready >/dev/null || apt_install postgresql postgresql-client
  if ! pg_ready; then
    log "starting PostgreSQL"
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  fi
  for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
  pg_ready || { log "PostgreSQL is not reachable on $PG_HOST:$PG_PORT"; exit 1; }
  log "PostgreSQL ready on $PG_HOST:$PG_PORT"
}

ensure_redis() {
  command -v redis-server >/dev/null || apt_install redis-server
  if ! redis_ready; then
    log "starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" \
      --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  fi
  for _ in $(seq 1 30); do redis_ready && break; sleep 1; done
  redis_ready || { log "Redis is not reachable on 127.0.0.1:$REDIS_PORT"; exit 1; }
  log "Redis ready on 127.0.0.1:$REDIS_PORT"
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then apt_install chromium fonts-dejavu-core; fi
  log "Chromium: $(/usr/bin/chromium --version 2>/dev/null || echo missing)"
}

ensure_wrk() {
  # The load benchmark of `make bench` drives the web processes with wrk.
  command -v wrk >/dev/null || apt_install wrk
  log "wrk: $(command -v wrk || echo missing)"
}

ensure_postgres
ensure_redis
ensure_chromium
ensure_wrk
