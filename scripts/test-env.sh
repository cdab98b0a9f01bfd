#!/usr/bin/env bash
# Set up the real services the tests use, on Debian (bookworm), idempotently:
#   - the Debian packages (apt runs only when one is missing),
#   - a Docker engine on /var/run/docker.sock (dockerd is started when none answers),
#   - two image registries on loopback: open on 127.0.0.1:5000, basic auth on 127.0.0.1:5001,
#   - the analysis image from images/analysis/Dockerfile on a debootstrapped Debian base,
#     versions 2026.11.1 and 2026.11.2, pushed to both registries,
#   - the SSH GPU host of scripts/test-env/ssh-host.sh when that script is there,
# and write .test-env/env.json for the tests (read it with test/support/env.ts).
#
# Usage: sudo bash scripts/test-env.sh   (from any directory; safe to rerun; fast when all is up)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_ROOT
for part in lib packages dockerd registries base-image analysis-images env-json; do
  # shellcheck source=/dev/null
  source "$REPO_ROOT/scripts/test-env/$part.sh"
done

on_exit() {
  local status=$?
  cleanup_rootfs
  ((status == 0)) || say "failed (exit $status); rerun after fixing the error above"
}

# One run at a time per machine: the registries, images and caches are machine-wide.
take_lock() {
  local lock=/tmp/benchtop-test-env.lock
  exec 9>>"$lock"
  chmod 0666 "$lock" 2>/dev/null || true
  if ! flock -n 9; then
    say "waiting for another test-env run to finish"
    flock -w 1800 9 || die "another test-env run held $lock for 30 minutes"
  fi
}

run_ssh_host() {
  local script="$REPO_ROOT/scripts/test-env/ssh-host.sh"
  if [[ -x "$script" ]]; then
    say "ssh host: running scripts/test-env/ssh-host.sh"
    "$script" </dev/null 9>&- || die "scripts/test-env/ssh-host.sh failed (exit $?)"
  elif [[ -e "$script" ]]; then
    say "ssh host: scripts/test-env/ssh-host.sh is not executable; skipped"
  fi
}

main() {
  local started=$SECONDS
  trap on_exit EXIT
  mkdir -p "$TEST_ENV_DIR"
  take_lock
  ensure_packages
  ensure_dockerd
  ensure_registries
  ensure_base_image
  ensure_test_lockfile
  ensure_analysis_images
  run_ssh_host
  [[ ! -x "$REPO_ROOT/scripts/test-env/bastion.sh" ]] || "$REPO_ROOT/scripts/test-env/bastion.sh" </dev/null 9>&- || die "scripts/test-env/bastion.sh failed"
  # The cloud tests' stand-in VMs: addresses and an account in the test host's namespace.
  [[ ! -x "$REPO_ROOT/scripts/test-env/cloud-vm.sh" ]] || "$REPO_ROOT/scripts/test-env/cloud-vm.sh" </dev/null 9>&- || die "scripts/test-env/cloud-vm.sh failed"
  # The Slurm cluster (issue 15): munge, slurmdbd, slurmctld, two nodes, login sshd, podman; writes .test-env/slurm.json.
  [[ ! -x "$REPO_ROOT/scripts/test-env/slurm.sh" ]] || "$REPO_ROOT/scripts/test-env/slurm.sh" </dev/null 9>&- || die "scripts/test-env/slurm.sh failed"
  # The loopback git server for benchtop:// link tests (writes .test-env/git-server.json).
  [[ ! -x "$REPO_ROOT/scripts/test-env/git-server.sh" ]] || "$REPO_ROOT/scripts/test-env/git-server.sh" </dev/null 9>&- || die "scripts/test-env/git-server.sh failed"
  write_env_json
  say "ready in $((SECONDS - started)) s; wrote $TEST_ENV_DIR/env.json"
}

main "$@"
