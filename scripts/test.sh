#!/usr/bin/env bash
# The test command (`npm test`): sets up what the tests need, then lint, typecheck, build,
# unit+integration tests (Vitest, real Docker engine and registry) and e2e (Playwright, real Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/test-env.sh
echo "== lint";      npx eslint --max-warnings 0 .
echo "== typecheck"; npx tsc -b
echo "== build";     npx electron-vite build >/dev/null && node scripts/build-cli.mjs
echo "== unit and integration tests"
npx vitest run
echo "== e2e"
npx playwright test
