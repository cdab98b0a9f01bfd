#!/usr/bin/env bash
# The test "cloud VMs": GCE has no emulator, so test/cloud/gce-server.ts answers the Compute REST API
# and, when an instance reaches RUNNING, brings up a real sshd for it in the shared test host's
# network namespace (bt-gpuhost, from ssh-host.sh), on an address of its own from 10.213.9.0/24,
# logging in as the account below with the key from the instance's ssh-keys metadata, with the
# namespace's Docker engine (and its simulated GPUs) behind it. This script does the privileged,
# once-only part: the address range (local in the namespace, routed to it from here) and the account.
# Writes .test-env/cloud-vm.json (read with test/cloud/support.ts). Idempotent; run as root after
# scripts/test-env/ssh-host.sh (scripts/test-env.sh runs both).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT
readonly NS=bt-gpuhost NS_IP=10.213.7.2 VETH_HOST=bt-gpuhost0
readonly VM_NET=10.213.9.0/24 VM_LO=10.213.9.1/24
readonly VM_USER=btcloud DOCKER_GROUP=bt-gpuhost-docker
readonly STATE_DIR=/var/lib/benchtop-test/cloudvm
LOG_PREFIX=cloud-vm
# shellcheck source=scripts/test-env/helpers.sh
source "$REPO_ROOT/scripts/test-env/helpers.sh"

main() {
  ((EUID == 0)) || die "needs root (addresses in the $NS namespace, an account): sudo $0"
  [[ -e "/run/netns/$NS" && -f "$REPO_ROOT/.test-env/ssh-host.json" ]] || die "the shared test host is not up: run scripts/test-env/ssh-host.sh first"
  # Every address of the /24 is local in the namespace when the prefix sits on its loopback.
  [[ "$(nsenter --net="/run/netns/$NS" ip addr show dev lo)" == *"$VM_LO"* ]] || nsenter --net="/run/netns/$NS" ip addr add "$VM_LO" dev lo
  [[ "$(ip route show "$VM_NET")" == *"via $NS_IP"* ]] || ip route replace "$VM_NET" via "$NS_IP" dev "$VETH_HOST"
  if ! id "$VM_USER" >/dev/null 2>&1; then
    useradd --create-home --shell /bin/bash --groups "$DOCKER_GROUP" "$VM_USER"
  fi
  [[ "$(getent shadow "$VM_USER" | cut -d: -f2)" == '*' ]] || usermod -p '*' "$VM_USER"
  mkdir -p "$STATE_DIR"
  chmod 0755 "$STATE_DIR"
  local gpu_bin docker_socket tmp
  gpu_bin="$(jq -r .gpus.binDir "$REPO_ROOT/.test-env/ssh-host.json")"
  docker_socket="$(jq -r .dockerSocket "$REPO_ROOT/.test-env/ssh-host.json")"
  tmp="$(mktemp)"
  jq -n --arg ns "$NS" --arg user "$VM_USER" --arg socket "$docker_socket" --arg gpuBin "$gpu_bin" --arg state "$STATE_DIR" \
    '{namespace: $ns, addressPrefix: "10.213.9.", firstHost: 2, lastHost: 254, user: $user, dockerSocket: $socket,
      path: ($gpuBin + ":/usr/local/bin:/usr/bin:/bin"), stateDir: $state}' >"$tmp"
  chmod 0644 "$tmp"
  mv -f "$tmp" "$REPO_ROOT/.test-env/cloud-vm.json"
  say "ready: VM addresses $VM_NET in $NS, account $VM_USER"
}

main "$@"
