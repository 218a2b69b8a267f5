#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL seeded with TechEmpower's tables, then removes the database.
#
# Usage: servers/tests/with_postgres.sh COMMAND [ARG...]
# The command sees DATABASE_URL and PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE, as the harness passes them to a
# server, with a password (scram-sha-256 over TCP on 127.0.0.1), so every server is checked with one. The
# exit status is the command's (2 if the database could not be started). The cluster runs as the `postgres`
# account when this runs as root (initdb and postgres refuse root), listens on a free loopback port only, and
# is stopped and deleted on exit, on Ctrl-C and on SIGTERM.
set -uo pipefail

if (($# == 0)); then
  echo "with_postgres: usage: with_postgres.sh COMMAND [ARG...]" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
  echo "with_postgres: no PostgreSQL server under /usr/lib/postgresql (scripts/setup installs it)" >&2
  exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/bench-smoke-pg.XXXXXX")"
as_owner=()
if ((EUID == 0)); then
  as_owner=(runuser -u postgres --)
  chown postgres "$work"
fi
chmod 700 "$work"
started=""
cleanup() {
  if [[ -n "$started" ]]; then
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$work/data" -m immediate -w -t 30 stop >/dev/null 2>&1
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

password="smoke-$RANDOM$RANDOM-pw"  # per run, as the harness does
printf '%s\n' "$password" >"$work/pwfile"
[[ ${#as_owner[@]} -eq 0 ]] || chown postgres "$work/pwfile"
if ! "${as_owner[@]}" "$bindir/initdb" -D "$work/data" -U bench --pwfile="$work/pwfile" \
     --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1; then
  echo "with_postgres: initdb failed:" >&2; tail -n 20 "$work/initdb.log" >&2
  exit 2
fi
port="$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
if ! "${as_owner[@]}" "$bindir/pg_ctl" -D "$work/data" -l "$work/postgres.log" -w -t 60 \
     -o "-h 127.0.0.1 -p $port -k $work -c fsync=off -c synchronous_commit=off -c max_connections=200" \
     start >/dev/null 2>&1; then
  echo "with_postgres: postgres did not start:" >&2; tail -n 20 "$work/postgres.log" >&2
  exit 2
fi
started=1

export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=bench PGPASSWORD="$password" PGDATABASE=postgres
if ! psql -qAt -v ON_ERROR_STOP=1 -c "CREATE DATABASE hello_world" >"$work/seed.log" 2>&1 ||
   ! PGDATABASE=hello_world psql -q -v ON_ERROR_STOP=1 -f "$here/seed.sql" >>"$work/seed.log" 2>&1; then
  echo "with_postgres: seeding failed:" >&2; tail -n 20 "$work/seed.log" >&2
  exit 2
fi
export PGDATABASE=hello_world
export DATABASE_URL="postgresql://bench:$password@127.0.0.1:$port/hello_world"

"$@"
