# shellcheck shell=bash
# shellcheck disable=SC2034 # settings used by the other parts
# Shared settings and helpers for scripts/test-env.sh (sourced, not run).

readonly BASE_IMAGE="benchtop-test/debian-python:bookworm"
readonly IMAGE_REPO="team/analysis"
readonly IMAGE_VERSIONS=(2026.11.1 2026.11.2)
readonly OPEN_REGISTRY="127.0.0.1:5000"
readonly AUTH_REGISTRY="127.0.0.1:5001"
readonly AUTH_USER="benchtop"
readonly AUTH_PASSWORD="benchtop-test-password"
readonly DOCKER_SOCKET="/var/run/docker.sock"
readonly DOCKERD_LOG="/var/log/benchtop-test-dockerd.log"
# Machine-wide state (registries are machine-wide: fixed loopback ports).
readonly STATE_DIR="/var/lib/benchtop-test"
readonly CACHE_DIR="/var/cache/benchtop-test"
# Per-checkout outputs.
readonly TEST_ENV_DIR="$REPO_ROOT/.test-env"
readonly LOG_DIR="$TEST_ENV_DIR/logs"

# Always the default engine, whatever the caller's environment points at.
export DOCKER_HOST="unix://$DOCKER_SOCKET"
unset DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH
export DEBIAN_FRONTEND=noninteractive

LOG_PREFIX=test-env
# shellcheck source=scripts/test-env/helpers.sh
source "$REPO_ROOT/scripts/test-env/helpers.sh"

need_root() {
  ((EUID == 0)) || die "$1 needs root; run: sudo bash scripts/test-env.sh"
}

# run_logged NAME CMD...: run quietly into $LOG_DIR/NAME.log; on failure show its tail and stop.
run_logged() {
  local name="$1" log
  shift
  mkdir -p "$LOG_DIR"
  log="$LOG_DIR/$name.log"
  if ! "$@" >"$log" 2>&1 </dev/null; then
    tail -n 40 "$log" | sed 's/^/    | /' >&2
    die "$name failed (full log: $log)"
  fi
}

sha256_of() { sha256sum "$1" | cut -c1-64; }

# Write stdin to FILE only when the content differs (keeps mtimes and rebuild checks stable).
write_if_changed() {
  local file="$1" tmp
  tmp="$(mktemp "$file.XXXXXX")"
  cat >"$tmp"
  if [[ -f "$file" ]] && cmp -s "$tmp" "$file"; then
    rm -f "$tmp"
    return 1
  fi
  chmod 0644 "$tmp"
  mv -f "$tmp" "$file"
}
