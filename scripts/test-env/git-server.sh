#!/usr/bin/env bash
# The loopback git server for benchtop:// link tests: a static HTTP server (git's "dumb" HTTP
# protocol: info/refs and objects as plain files) on 127.0.0.1 serving bare repositories from one
# folder. Tests publish their own repository there (test/support/git-server.ts: a copy of a fixture
# project pinned to the test image), because the pin depends on the images this environment built.
# This script seeds basic.git (test/fixtures/projects/basic as it is) so the server can be checked,
# and writes .test-env/git-server.json: {url, root}. Idempotent; no root needed.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT
readonly ADDRESS=127.0.0.1 PORT="${BENCHTOP_GIT_PORT:-5090}"
readonly ROOT="$REPO_ROOT/.test-env/git-served" LOG="$REPO_ROOT/.test-env/logs/git-server.log"
LOG_PREFIX=git-server
# shellcheck source=scripts/test-env/helpers.sh
source "$REPO_ROOT/scripts/test-env/helpers.sh"

answers() { curl -sf -o /dev/null --max-time 3 "http://$ADDRESS:$PORT/basic.git/info/refs"; }
# The server on the port serves this checkout's folder (another checkout's test-env may have started
# one for its own folder: the tests would then publish repositories it never serves).
serves_here() { [[ "$(curl -sf --max-time 3 "http://$ADDRESS:$PORT/served-root.txt")" == "$ROOT" ]]; }

# stop_other: ends whatever listens on the port (a git server for another folder).
stop_other() {
  local pids
  pids="$(ss -ltnpH "sport = :$PORT" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u)"
  [[ -n "$pids" ]] || die "something answers on $ADDRESS:$PORT for another folder and its process could not be found (ss -ltnp)"
  say "the server on $ADDRESS:$PORT serves another folder; stopping it (pid $pids)"
  # shellcheck disable=SC2086
  kill $pids
  wait_until 10 bash -c "! curl -sf -o /dev/null --max-time 1 http://$ADDRESS:$PORT/" || die "the old server on $ADDRESS:$PORT did not stop"
}

seed_basic() {
  local work
  [[ -f "$ROOT/basic.git/info/refs" ]] && return 0
  work="$(mktemp -d)"
  cp -a "$REPO_ROOT/test/fixtures/projects/basic/." "$work/"
  git -C "$work" init -q -b main
  git -C "$work" -c user.name=benchtop-test -c user.email=test@benchtop.invalid add -A
  git -C "$work" -c user.name=benchtop-test -c user.email=test@benchtop.invalid commit -q -m "basic fixture"
  rm -rf "$ROOT/basic.git"
  git clone -q --bare "$work" "$ROOT/basic.git"
  git -C "$ROOT/basic.git" update-server-info
  rm -rf "$work"
}

main() {
  command -v git >/dev/null || die "git is missing (apt-get install git)"
  mkdir -p "$ROOT" "$(dirname "$LOG")"
  seed_basic
  printf '%s' "$ROOT" >"$ROOT/served-root.txt"
  if answers && ! serves_here; then stop_other; fi
  if ! answers; then
    local python=/usr/bin/python3
    [[ -x "$python" ]] || python="$(command -v python3)" || die "python3 is missing"
    say "starting a static git server on http://$ADDRESS:$PORT/ for $ROOT (log: $LOG)"
    setsid nohup "$python" -m http.server --bind "$ADDRESS" --directory "$ROOT" "$PORT" >>"$LOG" 2>&1 </dev/null 9>&- &
    echo $! >"$ROOT.pid"
    wait_until 20 serves_here || die "the git server did not answer on $ADDRESS:$PORT (log: $LOG)"
  fi
  jq -n --arg url "http://$ADDRESS:$PORT" --arg root "$ROOT" '{url: $url, root: $root}' >"$REPO_ROOT/.test-env/git-server.json"
  say "ready: http://$ADDRESS:$PORT/basic.git"
}

main "$@"
