#!/usr/bin/env bash
# Builds gin-server offline in GOPATH mode from Debian's Go packages (Gin 1.8, pgx v4), with the Debian versions
# of the libraries that have no version constant linked in for `./gin-server --versions`.
# Usage: ./build.sh     build ./gin-server (git-ignored); every scenario's `build:` calls this
set -euo pipefail
cd "$(dirname "$0")"
export GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="${GOCACHE:-${TMPDIR:-/tmp}/bench-gocache}"
versions="$(dpkg-query -W -f='${Package}=${Version};' golang-go golang-github-jackc-pgx-v4-dev 2>/dev/null || true)"
go build -ldflags "-X 'main.debianVersions=$versions'" -o gin-server .
