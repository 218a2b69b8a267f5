#!/usr/bin/env bash
# Builds gin-server offline in GOPATH mode from Debian's Go packages (Gin 1.8, pgx v4) and ../go-shared (linked
# into a private GOPATH as "benchshared"), with the Debian versions of the libraries that have no version
# constant linked in for `./gin-server --versions`.
# Usage: ./build.sh     build ./gin-server (git-ignored); every scenario's `build:` calls this
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
gopath="$here/.gopath"
mkdir -p "$gopath/src"
ln -sfn "$(dirname "$here")/go-shared" "$gopath/src/benchshared"
export GO111MODULE=off GOPATH="$gopath:/usr/share/gocode" GOCACHE="${GOCACHE:-${TMPDIR:-/tmp}/bench-gocache}"
cd "$here"
versions="$(dpkg-query -W -f='${Package}=${Version};' golang-go golang-github-jackc-pgx-v4-dev 2>/dev/null || true)"
go build -ldflags "-X 'main.debianVersions=$versions'" -o gin-server .
