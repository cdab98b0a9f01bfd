#!/usr/bin/env bash
# The test command (`npm test`): sets up what the tests need, then lint, typecheck, build,
# unit+integration tests (Vitest, real Docker engine and registry) and e2e (Playwright, real Chromium).
# Unit and e2e both run even when one fails; the last line sums them up.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/test-env.sh
echo "== lint";      npx eslint --max-warnings 0 .
echo "== typecheck"; npx tsc -b
echo "== build";     npx electron-vite build >/dev/null && node scripts/build-cli.mjs

log=$(mktemp -d)
status=0
echo "== unit and integration tests"
npx vitest run 2>&1 | tee "$log/unit.txt" || status=1
echo "== tests that share the SSH test host or the Slurm cluster: one file at a time per group, the two groups side by side"
BENCHTOP_SERIAL_GROUP=host npx vitest run --config vitest.serial.config.ts >"$log/serial-host.txt" 2>&1 &
host_group=$!
BENCHTOP_SERIAL_GROUP=cluster npx vitest run --config vitest.serial.config.ts >"$log/serial-cluster.txt" 2>&1 &
cluster_group=$!
wait "$host_group" || status=1
wait "$cluster_group" || status=1
cat "$log/serial-host.txt" "$log/serial-cluster.txt"
echo "== the host agent's own rules (python, no engine)"
python3 -B -m unittest discover -s src/target-agent 2>&1 | tee "$log/agent.txt" || status=1
# unittest ends with "OK" or "FAILED (failures=N, errors=M)" after "Ran N tests": one summary line of ours.
awk '/^Ran [0-9]+ test/{n=$2} /^FAILED/{f=1; m=$0; gsub(/[^0-9,]/,"",m); split(m,a,","); bad=a[1]+a[2]} END{printf "agent: %d passed, %d failed, 0 skipped\n", n-(f?bad:0), (f?bad:0)}' "$log/agent.txt" | tee -a "$log/agent.txt"
echo "== e2e"
npx playwright test 2>&1 | tee "$log/e2e.txt" || status=1

# One closing line for the whole run, from the reporters' own lines (test/support/*summary-reporter.ts).
grep -hE '^(unit|agent|e2e): [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log/unit.txt" "$log/serial-host.txt" "$log/serial-cluster.txt" "$log/agent.txt" "$log/e2e.txt" |
  awk '{p+=$2; f+=$4; s+=$6} END {printf "\ntests: %d passed, %d failed, %d skipped\n", p, f, s}'
# What failed, again at the very end, where a CI log's tail is read.
{ grep -hE "^failed: " "$log/unit.txt" "$log/serial-host.txt" "$log/serial-cluster.txt" "$log/e2e.txt"; grep -hE "^(FAIL|ERROR): " "$log/agent.txt" | sed "s/^/failed: agent /"; } | sed "s/\x1b\[[0-9;]*m//g" || true
exit $status
