# shellcheck shell=bash
# Generic helpers for the test-environment scripts (sourced). Set LOG_PREFIX before sourcing.

say() { printf '%s: %s\n' "${LOG_PREFIX:-test-env}" "$*" >&2; }
die() {
  printf '%s: error: %s\n' "${LOG_PREFIX:-test-env}" "$*" >&2
  exit 1
}

# wait_until SECONDS CMD...: poll CMD until it succeeds or time runs out.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.3
  done
}

# pid_alive PIDFILE PATTERN: the pidfile names a live process whose command line contains PATTERN.
pid_alive() {
  local pid
  [[ -s "$1" ]] || return 1
  pid="$(cat "$1")"
  [[ -r "/proc/$pid/cmdline" && "$(tr '\0' ' ' <"/proc/$pid/cmdline")" == *"$2"* ]]
}
