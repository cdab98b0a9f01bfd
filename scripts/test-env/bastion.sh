#!/usr/bin/env bash
# The test bastion (ProxyJump): two network namespaces of our own,
#   bt-bastion  10.213.9.2  reached from this computer over a veth pair (10.213.9.1 here), its own
#                           sshd, account btjump (no shell: port forwarding only) with its own key;
#   bt-inner    10.213.10.2 reached ONLY from bt-bastion over a second veth pair (10.213.10.1 there):
#                           this computer has no route to it. Its own sshd lets btgpu (the GPU test
#                           host's account, same key) in and forward to the GPU host's engine socket
#                           (/run/bt-gpuhost/docker.sock; a Unix socket is reached through the file
#                           system, whatever the network namespace), so a host behind the bastion has
#                           a real Docker engine.
# Both sshds have their own host keys; a third key is one neither has (the changed-key test).
# Writes .test-env/bastion.json (read with test/support/bastion.ts), keys under .test-env/bastion/.
# Needs scripts/test-env/ssh-host.sh to have run (btgpu, its key, the engine). Idempotent; run as root.
# Usage: sudo scripts/test-env/bastion.sh   (also run by scripts/test-env.sh)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT
readonly NS_BASTION=bt-bastion NS_INNER=bt-inner
readonly HOST_IP=10.213.9.1 BASTION_IP=10.213.9.2
readonly BASTION_INNER_IP=10.213.10.1 INNER_IP=10.213.10.2 INNER_NET=10.213.10.0 PREFIX=30
readonly VETH_HOST=bt-bast0 VETH_BASTION=bt-bast1 VETH_BASTION_INNER=bt-inner0 VETH_INNER=bt-inner1
readonly RUN_DIR=/run/bt-bastion
readonly STATE_DIR=/var/lib/benchtop-test/bastion
readonly OUT_DIR="$REPO_ROOT/.test-env/bastion"
readonly SSH_HOST_DIR="$REPO_ROOT/.test-env/ssh-host"
readonly JUMP_USER=btjump INNER_USER=btgpu
readonly DOCKER_SOCK=/run/bt-gpuhost/docker.sock

LOG_PREFIX=bastion
# shellcheck source=scripts/test-env/helpers.sh
source "$REPO_ROOT/scripts/test-env/helpers.sh"
in_bastion() { nsenter --net="/run/netns/$NS_BASTION" "$@"; }
in_inner() { nsenter --net="/run/netns/$NS_INNER" "$@"; }

ensure_netns() {
  local ns
  for ns in "$NS_BASTION" "$NS_INNER"; do
    [[ -e "/run/netns/$ns" ]] || ip netns add "$ns"
  done
  ip link show "$VETH_HOST" >/dev/null 2>&1 || ip link add "$VETH_HOST" type veth peer name "$VETH_BASTION" netns "$NS_BASTION"
  [[ "$(ip addr show dev "$VETH_HOST")" == *"$HOST_IP/$PREFIX"* ]] || ip addr add "$HOST_IP/$PREFIX" dev "$VETH_HOST"
  ip link set "$VETH_HOST" up
  if ! in_bastion ip link show "$VETH_BASTION_INNER" >/dev/null 2>&1; then
    in_bastion ip link add "$VETH_BASTION_INNER" type veth peer name "$VETH_INNER" netns "$NS_INNER"
  fi
  [[ "$(in_bastion ip addr show dev "$VETH_BASTION")" == *"$BASTION_IP/$PREFIX"* ]] || in_bastion ip addr add "$BASTION_IP/$PREFIX" dev "$VETH_BASTION"
  [[ "$(in_bastion ip addr show dev "$VETH_BASTION_INNER")" == *"$BASTION_INNER_IP/$PREFIX"* ]] || in_bastion ip addr add "$BASTION_INNER_IP/$PREFIX" dev "$VETH_BASTION_INNER"
  [[ "$(in_inner ip addr show dev "$VETH_INNER")" == *"$INNER_IP/$PREFIX"* ]] || in_inner ip addr add "$INNER_IP/$PREFIX" dev "$VETH_INNER"
  in_bastion ip link set lo up
  in_bastion ip link set "$VETH_BASTION" up
  in_bastion ip link set "$VETH_BASTION_INNER" up
  in_inner ip link set lo up
  in_inner ip link set "$VETH_INNER" up
  # The bastion never routes: only its sshd's forwarding connects the two sides.
  in_bastion sysctl -qw net.ipv4.ip_forward=0
  # This computer has no way to the inner network: refused at once, not left to a default route.
  ip route replace unreachable "$INNER_NET/$PREFIX"
}

ensure_user() {
  id "$INNER_USER" >/dev/null 2>&1 || die "$INNER_USER is missing: run scripts/test-env/ssh-host.sh first"
  if ! id "$JUMP_USER" >/dev/null 2>&1; then
    useradd --create-home --shell /usr/sbin/nologin "$JUMP_USER"
  fi
  [[ "$(getent shadow "$JUMP_USER" | cut -d: -f2)" == '*' ]] || usermod -p '*' "$JUMP_USER"
}

ensure_keys() {
  local name
  mkdir -p "$OUT_DIR" "$STATE_DIR"
  chmod 0755 "$OUT_DIR" "$STATE_DIR"
  for name in bastion_host_ed25519_key inner_host_ed25519_key wrong_host_ed25519_key; do
    [[ -f "$OUT_DIR/$name" ]] || ssh-keygen -q -t ed25519 -N '' -C "bt-$name" -f "$OUT_DIR/$name"
  done
  [[ -f "$OUT_DIR/jump_ed25519" ]] || ssh-keygen -q -t ed25519 -N '' -C benchtop-test-jump -f "$OUT_DIR/jump_ed25519"
  [[ -f "$SSH_HOST_DIR/id_ed25519.pub" ]] || die "$SSH_HOST_DIR/id_ed25519.pub is missing: run scripts/test-env/ssh-host.sh first"
  # sshd reads authorized_keys as the login user: keep them in the machine-wide state folder.
  install -m 0644 "$OUT_DIR/jump_ed25519.pub" "$STATE_DIR/jump_authorized_keys"
  install -m 0644 "$SSH_HOST_DIR/id_ed25519.pub" "$STATE_DIR/inner_authorized_keys"
  if [[ -n "${SUDO_UID:-}" && "${SUDO_UID}" != 0 ]]; then
    chown "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$OUT_DIR/jump_ed25519"
  fi
}

# ensure_sshd NAME NS_RUNNER LISTEN HOSTKEY USER AUTHORIZED EXTRA: one sshd, restarted when its config changed.
ensure_sshd() {
  local name=$1 runner=$2 listen=$3 hostkey=$4 user=$5 authorized=$6 extra=$7
  local config="$OUT_DIR/${name}_sshd_config" pidfile="$RUN_DIR/$name-sshd.pid" log="$RUN_DIR/$name-sshd.log" fresh
  fresh="$(mktemp)"
  cat >"$fresh" <<EOF
# Written by scripts/test-env/bastion.sh: the $name's sshd.
ListenAddress $listen:22
HostKey $hostkey
PidFile $pidfile
AuthorizedKeysFile $authorized
StrictModes no
UsePAM no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
AllowUsers $user
AllowTcpForwarding yes
# VERBOSE logs each connection's source address: tests see that the inner host was reached from the bastion.
LogLevel VERBOSE
$extra
EOF
  if [[ -f "$config" ]] && cmp -s "$fresh" "$config" && pid_alive "$pidfile" "$config"; then
    rm -f "$fresh"
    return
  fi
  chmod 0644 "$fresh"
  mv -f "$fresh" "$config"
  if [[ -s "$pidfile" ]]; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  fi
  mkdir -p /run/sshd
  /usr/sbin/sshd -t -f "$config" || die "sshd rejects $config"
  say "starting the $name's sshd on $listen:22 (log: $log)"
  : >"$log"
  chmod 0644 "$log"
  "$runner" /usr/sbin/sshd -f "$config" -E "$log" 8>&- 9>&-
  wait_until 15 pid_alive "$pidfile" "$config" || die "the $name's sshd did not start (log: $log)"
}

write_json() {
  local tmp line
  line() { cut -d' ' -f1,2 "$OUT_DIR/$1.pub"; }
  fp() { ssh-keygen -l -E sha256 -f "$OUT_DIR/$1.pub" | awk '{print $2}'; }
  tmp="$(mktemp)"
  jq -n \
    --arg bastionHost "$BASTION_IP" --arg jumpUser "$JUMP_USER" --arg jumpIdentity "$OUT_DIR/jump_ed25519" \
    --arg bastionLine "$BASTION_IP $(line bastion_host_ed25519_key)" --arg bastionFp "$(fp bastion_host_ed25519_key)" \
    --arg bastionWrongLine "$BASTION_IP $(line wrong_host_ed25519_key)" --arg bastionLog "$RUN_DIR/bastion-sshd.log" \
    --arg innerHost "$INNER_IP" --arg innerUser "$INNER_USER" --arg innerIdentity "$SSH_HOST_DIR/id_ed25519" \
    --arg innerLine "$INNER_IP $(line inner_host_ed25519_key)" --arg innerFp "$(fp inner_host_ed25519_key)" \
    --arg innerLog "$RUN_DIR/inner-sshd.log" --arg dockerSocket "$DOCKER_SOCK" --arg bastionInnerIp "$BASTION_INNER_IP" \
    '{bastion: {host: $bastionHost, port: 22, user: $jumpUser, identityFile: $jumpIdentity,
                knownHostsLine: $bastionLine, fingerprint: $bastionFp, wrongKnownHostsLine: $bastionWrongLine,
                sshdLog: $bastionLog, innerSideIp: $bastionInnerIp},
      inner: {host: $innerHost, port: 22, user: $innerUser, identityFile: $innerIdentity,
              knownHostsLine: $innerLine, fingerprint: $innerFp, sshdLog: $innerLog, dockerSocket: $dockerSocket}}' >"$tmp"
  chmod 0644 "$tmp"
  if [[ -f "$OUT_DIR/../bastion.json" ]] && cmp -s "$tmp" "$OUT_DIR/../bastion.json"; then
    rm -f "$tmp"
  else
    mv -f "$tmp" "$OUT_DIR/../bastion.json"
  fi
}

main() {
  ((EUID == 0)) || die "needs root (network namespaces, sshd): sudo $0"
  exec 8>>/tmp/benchtop-bastion.lock
  flock -w 300 8 || die "another bastion.sh run held /tmp/benchtop-bastion.lock for 5 minutes"
  mkdir -p "$RUN_DIR"
  ensure_netns
  ensure_user
  ensure_keys
  ensure_sshd bastion in_bastion "$BASTION_IP" "$OUT_DIR/bastion_host_ed25519_key" "$JUMP_USER" "$STATE_DIR/jump_authorized_keys" \
    'PermitTTY no'
  ensure_sshd inner in_inner "$INNER_IP" "$OUT_DIR/inner_host_ed25519_key" "$INNER_USER" "$STATE_DIR/inner_authorized_keys" \
    'AllowStreamLocalForwarding yes'
  write_json
  say "ready: ssh -J $JUMP_USER@$BASTION_IP $INNER_USER@$INNER_IP (engine $DOCKER_SOCK)"
}

main "$@"
