#!/usr/bin/env bash
# Builds nethttp-server offline in GOPATH mode from Debian's Go packages (pgx v4, sqlx, ent 0.11) and ../go-shared.
# The generated ent code imports this folder as "benchgo", so a private GOPATH links benchgo to it.
# Usage: ./build.sh             build ./nethttp-server (git-ignored)
#        ./build.sh --generate  regenerate ent/ from ent/schema first (entc; a few minutes on a busy machine)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
gopath="$here/.gopath"
mkdir -p "$gopath/src"
ln -sfn "$here" "$gopath/src/benchgo"
ln -sfn "$(dirname "$here")/go-shared" "$gopath/src/benchshared"  # what go-gin and go-nethttp share
export GO111MODULE=off GOPATH="$gopath:/usr/share/gocode" GOCACHE="${GOCACHE:-${TMPDIR:-/tmp}/bench-gocache}"
cd "$gopath/src/benchgo"  # the logical path ($PWD) is what tells go this is package benchgo
if [[ "${1:-}" == "--generate" ]]; then
  go run ./entgen
fi
versions="$(dpkg-query -W -f='${Package}=${Version};' golang-go golang-github-jackc-pgx-v4-dev \
              golang-github-jmoiron-sqlx-dev golang-entgo-ent-dev 2>/dev/null || true)"
go build -ldflags "-X 'main.debianVersions=$versions'" -o "$here/nethttp-server" .
