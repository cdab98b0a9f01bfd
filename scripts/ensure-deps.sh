#!/usr/bin/env bash
# Installs npm dependencies when node_modules is missing or older than package-lock.json.
# `npm ci` first (exact lockfile); some registry mirrors lack other platforms' optional packages
# (e.g. @rollup/rollup-darwin-arm64), which makes `npm ci` refuse a correct lockfile, so fall back
# to `npm install`, which installs the same locked versions and skips what this platform cannot use.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "deps: installing npm packages"
  log=$(mktemp)
  if ! npm ci --no-audit --no-fund --loglevel=error >"$log" 2>&1; then
    echo "deps: npm ci refused the lockfile ($(grep -m1 -oE 'Missing: [^ ]+|npm error [^\n]{0,80}' "$log" || echo 'see npm log')); installing with npm install instead"
    npm install --no-audit --no-fund --loglevel=error
  fi
  touch node_modules/.package-lock.json
fi
