#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the account tests and print its SQLAlchemy URL.
# Installs Debian's postgresql when it is missing (as scripts/install-browser.sh does for Chromium).
# Usage: export KAST_TEST_POSTGRES_URL="$(bash scripts/start-postgres.sh)"   (stop: pg_ctl -D DIR stop)
set -euo pipefail
PORT="${KAST_PG_PORT:-55432}"
DIR="${KAST_PG_DIR:-/tmp/kast-postgres}"

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(bindir)" ]; then
  echo "PostgreSQL ontbreekt; installeren met apt-get …" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
BIN="$(bindir)"
RUN_AS=()
if [ "$(id -u)" = 0 ]; then   # the server refuses to run as root
  RUN_AS=(runuser -u postgres --)
fi
if ! "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
  rm -rf "$DIR"
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$DIR"
  "${RUN_AS[@]}" "$BIN/initdb" -D "$DIR" -U kast --auth=trust -E UTF8 >/dev/null
  "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR" -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" \
    -l "$DIR/server.log" -w start >/dev/null
  "${RUN_AS[@]}" "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U kast kast_test
fi
echo "postgresql+psycopg://kast@127.0.0.1:$PORT/kast_test"
