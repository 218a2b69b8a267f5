#!/usr/bin/env bash
# Installs the pinned npm packages (package-lock.json) into node_modules with `npm ci`, once: a stamp of the
# lockfile's hash skips the reinstall while the lockfile is unchanged (npm ci always deletes node_modules first).
set -euo pipefail
cd "$(dirname "$0")"
stamp=node_modules/.bench-lock.sha256
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "$want" >"$stamp"
