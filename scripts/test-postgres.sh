#!/usr/bin/env bash
# Run a command (the test suite) against a throwaway PostgreSQL cluster:
#   scripts/test-postgres.sh .venv/bin/pytest -m "not browser"
# The cluster lives in a mktemp folder, listens on a free loopback port, runs as the `postgres`
# user when we are root, and is always stopped and removed afterwards. The command sees
#   TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:PORT/postgres
# Without PostgreSQL's server binaries this is a skip, except under CI=true where it fails.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$initdb" ]; then
  if [ "${CI:-}" = true ]; then
    echo "CI: PostgreSQL server binaries are missing (apt-get install postgresql)" >&2
    exit 1
  fi
  echo "skip: no PostgreSQL server binaries (apt-get install postgresql); PostgreSQL pass not run"
  exit 0
fi
pgbin=$(dirname "$initdb")

dir=$(mktemp -d "${TMPDIR:-/tmp}/ot-pg.XXXXXX")
as_pg=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$dir"
  as_pg=(runuser -u postgres --)
fi

cleanup() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 ||
      "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

"${as_pg[@]}" "$pgbin/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 \
  >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }

# Another process may take the free port before the server binds it: try a few.
started=
for _ in 1 2 3; do
  port=$(free_port)
  if "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off" \
    start >/dev/null; then
    started=1
    break
  fi
done
if [ -z "$started" ]; then
  echo "PostgreSQL did not start; its log:" >&2
  cat "$dir/log" >&2 || true
  exit 1
fi

echo "$("$pgbin/postgres" -V) on 127.0.0.1:$port ($dir)"
export TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
"$@"
