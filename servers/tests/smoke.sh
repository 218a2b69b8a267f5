#!/usr/bin/env bash
# Smoke test of every server variant against a seeded TechEmpower database: starts each variant on a free
# port, checks every endpoint's status, headers, content type and body, that Date moves on over a kept-alive
# connection and that /updates wrote what it returned, stops the server; and that each server folder's `--versions`
# names its components' versions. Exits non-zero if any check fails.
#
# Usage: DATABASE_URL=postgresql://user:pass@127.0.0.1:5432/hello_world servers/tests/smoke.sh [VARIANT...]
#        ... servers/tests/smoke.sh --group GROUP     (every variant named GROUP-*: fastapi, gin, nethttp, ...)
#   VARIANT: see all_variants below (default: all). The database needs the world and fortune tables
#   (servers/tests/seed.sql creates them); servers/tests/with_postgres.sh makes a throwaway one:
#   servers/tests/with_postgres.sh servers/tests/smoke.sh --group nethttp
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
servers="$(dirname "$here")"
python=/usr/bin/python3
all_variants=(fastapi-json fastapi-raw fastapi-text fastapi-core fastapi-baked fastapi-orm fastapi-raw-workers
              gin-json gin-raw
              nethttp-json nethttp-raw nethttp-sqlx nethttp-ent
              node-json node-pg node-knex node-sequelize node-pg-workers
              starlette-json starlette-raw starlette-ujson starlette-raw-workers
              django-json django-raw django-orm
              php-json php-raw php-dbal php-orm php-orm-nocache
              rails-json rails-raw rails-sequel rails-activerecord rails-baked)
if [[ "${1:-}" == "--group" ]]; then
  (($# == 2)) || { echo "smoke: --group takes one name" >&2; exit 2; }
  variants=()
  for v in "${all_variants[@]}"; do [[ "$v" == "$2"-* ]] && variants+=("$v"); done
  ((${#variants[@]})) || { echo "smoke: no variant in group '$2'" >&2; exit 2; }
else
  variants=("$@")
fi
((${#variants[@]})) || variants=("${all_variants[@]}")

if [[ -z "${DATABASE_URL:-}" ]]; then
  echo "smoke: DATABASE_URL is required" >&2
  exit 2
fi
export BENCH_DB_POOL_SIZE="${BENCH_DB_POOL_SIZE:-8}"
# Servers listen where BENCH_HOST says (bench run passes the scenario's `listen:`). A loopback address other than
# their default 127.0.0.1, so that a server which ignored it is caught (check_listens_only_on_host).
export BENCH_HOST=127.0.0.2

work="$(mktemp -d)"
server_pid=""
failures=0

stop_server() {
  [[ -n "$server_pid" ]] || return 0
  kill -TERM -- "-$server_pid" 2>/dev/null
  for _ in $(seq 50); do  # 5 s grace, then SIGKILL
    kill -0 -- "-$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL -- "-$server_pid" 2>/dev/null
  wait "$server_pid" 2>/dev/null
  server_pid=""
}
trap 'stop_server; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

fail() {
  echo "  FAIL $*" >&2
  failures=$((failures + 1))
}

free_port() {
  "$python" -c 'import socket, sys; s = socket.socket(); s.bind((sys.argv[1], 0)); print(s.getsockname()[1])' "$BENCH_HOST"
}

# build GROUP: what a group's variants need before they start (the scenario's `build:` does the same).
build() {
  case "$1" in
    gin) "$servers/go-gin/build.sh" ;;
    nethttp) "$servers/go-nethttp/build.sh" ;;
    node) "$servers/node-http/build.sh" ;;
    *) return 0 ;;
  esac
}

# check_versions GROUP: the group's versions command (the scenarios' `versions:`) prints one JSON object naming
# a version for each of its runtime, framework, HTTP server, driver and ORM or query builder, as they apply.
check_versions() {
  local folder command required
  case "$1" in
    fastapi) folder=python-fastapi command="$python run.py --versions"
             required="python fastapi starlette uvicorn asyncpg sqlalchemy" ;;
    starlette) folder=python-starlette command="$python run.py --versions" required="python starlette uvicorn asyncpg ujson" ;;
    django) folder=python-django command="$python run.py --versions" required="python django gunicorn psycopg2" ;;
    gin) folder=go-gin command="./gin-server --versions" required="go gin pgx" ;;
    nethttp) folder=go-nethttp command="./nethttp-server --versions" required="go pgx sqlx ent" ;;
    node) folder=node-http command="node server.js --versions" required="node pg knex sequelize" ;;
    php) folder=php-symfony command="./run.sh --versions"
         required="php php-fpm nginx symfony-http-kernel pdo_pgsql doctrine-dbal doctrine-orm" ;;
    rails) folder=ruby-rails command="/usr/bin/ruby run.rb --versions" required="ruby rails puma pg activerecord sequel" ;;
    *) fail "no versions command known for group $1"; return ;;
  esac
  echo "smoke: $1 --versions"
  (cd "$servers/$folder" && $command) >"$work/versions" 2>&1 || { fail "$1: '$command' failed: $(head -c 300 "$work/versions")"; return; }
  "$python" - "$work/versions" $required <<'PY' || fail "$1: '$command' (see above)"
import json, sys
text = open(sys.argv[1]).read()
try:
    versions = json.loads(text)
except ValueError:
    sys.exit(f"  not one JSON object: {text[:300]!r}")
missing = [name for name in sys.argv[2:] if not isinstance(versions.get(name), str) or not versions[name]]
if missing:
    sys.exit(f"  no version for {', '.join(missing)} in {text.strip()[:300]}")
PY
}

# start_server VARIANT PORT: starts it in its own process group (setsid) and waits until /json answers.
start_server() {
  local variant="$1" port="$2" log="$work/$1.log"
  case "$variant" in
    fastapi-*-workers) (cd "$servers/python-fastapi" && PORT="$port" BENCH_VARIANT="$(cut -d- -f2 <<<"$variant")" \
                  WORKERS=2 exec setsid "$python" run.py >"$log" 2>&1) & ;;
    fastapi-*) (cd "$servers/python-fastapi" && PORT="$port" BENCH_VARIANT="${variant#fastapi-}" \
                  exec setsid "$python" run.py >"$log" 2>&1) & ;;
    node-*-workers) (cd "$servers/node-http" && PORT="$port" BENCH_VARIANT="$(cut -d- -f2 <<<"$variant")" \
                  WORKERS=2 exec setsid node server.js >"$log" 2>&1) & ;;
    node-*) (cd "$servers/node-http" && PORT="$port" BENCH_VARIANT="${variant#node-}" \
                  exec setsid node server.js >"$log" 2>&1) & ;;
    starlette-*-workers) (cd "$servers/python-starlette" && PORT="$port" BENCH_VARIANT="$(cut -d- -f2 <<<"$variant")" \
                  WORKERS=2 exec setsid "$python" run.py >"$log" 2>&1) & ;;
    starlette-*) (cd "$servers/python-starlette" && PORT="$port" BENCH_VARIANT="${variant#starlette-}" \
                  exec setsid "$python" run.py >"$log" 2>&1) & ;;
    rails-*) (cd "$servers/ruby-rails" && PORT="$port" BENCH_VARIANT="${variant#rails-}" \
                  exec setsid /usr/bin/ruby run.rb >"$log" 2>&1) & ;;
    django-*) (cd "$servers/python-django" && PORT="$port" BENCH_VARIANT="${variant#django-}" \
                  exec setsid "$python" run.py >"$log" 2>&1) & ;;
    nethttp-*) (cd "$servers/go-nethttp" && PORT="$port" BENCH_VARIANT="${variant#nethttp-}" \
                  exec setsid ./nethttp-server >"$log" 2>&1) & ;;
    gin-*) (cd "$servers/go-gin" && PORT="$port" BENCH_VARIANT="${variant#gin-}" exec setsid ./gin-server >"$log" 2>&1) & ;;
    php-*) (cd "$servers/php-symfony" && PORT="$port" BENCH_VARIANT="${variant#php-}" exec setsid ./run.sh >"$log" 2>&1) & ;;
    *) echo "smoke: unknown variant $variant" >&2; return 1 ;;
  esac
  server_pid=$!
  local deadline=$((SECONDS + 30))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "  server exited early:" >&2; tail -n 20 "$log" >&2
      return 1
    fi
    curl -fs -o /dev/null "http://$BENCH_HOST:$port/json" && return 0
    sleep 0.1
  done
  echo "  server not ready after 30 s:" >&2; tail -n 20 "$log" >&2
  return 1
}

# check URL KIND ROWS CONTENT_TYPE_REGEX: status 200, Server/Date/Content-Type headers, body shape.
check() {
  local url="$1" kind="$2" rows="$3" type_regex="$4"
  local status headers="$work/headers" body="$work/body"
  status=$(curl -s -D "$headers" -o "$body" -w '%{http_code}' "$url")
  if [[ "$status" != 200 ]]; then fail "$url: status $status"; return; fi
  local content_type
  content_type=$(grep -i '^content-type:' "$headers" | head -n1 | cut -d' ' -f2- | tr -d '\r')
  [[ "$content_type" =~ $type_regex ]] || fail "$url: Content-Type '$content_type' does not match $type_regex"
  grep -qi '^server:' "$headers" || fail "$url: no Server header"
  grep -qi '^date:' "$headers" || fail "$url: no Date header"
  grep -qiE '^(content-length|transfer-encoding):' "$headers" || fail "$url: no Content-Length or Transfer-Encoding"
  "$python" "$here/check_response.py" "$kind" "$rows" "$body" || fail "$url: body (see above)"
}

# check_updates_persisted BASE: the rows /updates returns are the rows now in the table.
check_updates_persisted() {
  command -v psql >/dev/null || { fail "/updates: psql is needed to read the table back"; return; }
  curl -s -o "$work/updated" "$1/updates?queries=5"
  local pairs
  pairs=$("$python" -c 'import json,sys; print(",".join("(%d,%d)" % (r["id"], r["randomNumber"]) for r in json.load(open(sys.argv[1]))))' "$work/updated") \
    || { fail "/updates returned no rows"; return; }
  local mismatches
  mismatches=$(psql "$DATABASE_URL" -Atqc \
    "SELECT count(*) FROM (VALUES $pairs) AS r(id, n) JOIN world w ON w.id = r.id WHERE w.randomnumber <> r.n")
  [[ "$mismatches" == 0 ]] || fail "/updates: $mismatches of the returned rows differ from the table"
}

json_type='^application/json(; ?charset=(UTF|utf)-8)?$'
html_type='^text/html; ?charset=(UTF|utf)-8$'
text_type='^text/plain(; ?charset=(UTF|utf)-8)?$'

check_variant() {
  local base="$1" variant="$2"
  check "$base/json" json 0 "$json_type"
  "$python" "$here/check_date.py" "$BENCH_HOST" "${base##*:}" || fail "$base: Date header cached"
  # Only the address it was given: 127.0.0.1 at the same port must refuse.
  curl -s -o /dev/null "http://127.0.0.1:${base##*:}/json" && fail "$base: also listens on 127.0.0.1, not only on BENCH_HOST"
  check "$base/plaintext" plaintext 0 "$text_type"
  [[ "$variant" == *-json ]] && return
  check "$base/db" db 1 "$json_type"
  local endpoint param rows
  for endpoint in queries updates; do
    check "$base/$endpoint" "$endpoint" 1 "$json_type"
    for param in "=:1" "=0:1" "=foo:1" "=-3:1" "=2:2" "=20:20" "=501:500"; do
      rows="${param##*:}"
      check "$base/$endpoint?queries${param%:*}" "$endpoint" "$rows" "$json_type"
    done
  done
  check "$base/fortunes" fortunes 13 "$html_type"
  check_updates_persisted "$base"
}

declare -A built=()
for variant in "${variants[@]}"; do
  group="${variant%%-*}"
  [[ -n "${built[$group]:-}" ]] && continue
  build "$group" || { echo "smoke: building the $group server failed" >&2; exit 1; }
  built[$group]=1
  check_versions "$group"
done
for variant in "${variants[@]}"; do
  echo "smoke: $variant"
  before=$failures
  port=$(free_port)
  if start_server "$variant" "$port"; then
    check_variant "http://$BENCH_HOST:$port" "$variant"
  else
    fail "$variant did not start"
  fi
  stop_server
  ((failures == before)) && echo "  ok"
done
if ((failures)); then
  echo "smoke: $failures check(s) failed" >&2
  exit 1
fi
echo "smoke: all ${#variants[@]} variant(s) passed"
