#!/usr/bin/env bash
# The test "shared GPU host": a network namespace of our own (bt-gpuhost) reached over a veth pair,
# with its own containerd + dockerd (own data root, exec root, socket) and its own sshd, so tests
# reach a second Docker engine over real SSH exactly as they would reach a GPU box. The namespace
# engine pulls the same `127.0.0.1:5000/...` refs as this computer through a socat bridge.
#
# A team's box: the accounts btgpu (the original one), btalice and btbob, each with its own key and
# all in the engine's group, and four simulated NVIDIA GPUs: an `nvidia-smi` stand-in on the SSH
# users' PATH that prints what a state file says (tests edit it), and an
# `nvidia-container-runtime-hook` stand-in on dockerd's PATH, so Docker 20.10 registers its `nvidia`
# device driver and containers started with DeviceRequests get NVIDIA_VISIBLE_DEVICES=<their cards>
# (in the container's process env: read /proc/1/environ, `docker exec env` does not show it).
# The stand-ins live in scripts/test-env/gpu/ and are copied out of the checkout (users must read them).
#
# Writes .test-env/ssh-host.json (read with test/support/ssh-host.ts) and keeps keys under
# .test-env/ssh-host/. Idempotent and fast when everything is already up; run as root on Debian.
# The engine runs with --live-restore, so a later restart of dockerd leaves sessions running.
# Usage: sudo scripts/test-env/ssh-host.sh   (also run by scripts/test-env.sh)
# (No `cmd | grep -q` here: with pipefail, grep's early exit turns into a failure of the pipe.)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT
readonly NS=bt-gpuhost
readonly HOST_IP=10.213.7.1 NS_IP=10.213.7.2 PREFIX=30
readonly VETH_HOST=bt-gpuhost0 VETH_NS=bt-gpuhost1
# The namespace engine's bridge; distinct from the usual 172.17/16 so logs never confuse the two.
readonly NS_BIP=10.213.8.1/24
readonly RUN_DIR=/run/bt-gpuhost
readonly STATE_DIR=/var/lib/benchtop-test/gpuhost
readonly OUT_DIR="$REPO_ROOT/.test-env/ssh-host"
readonly SSH_USER=btgpu
# Analyst accounts besides btgpu: two people sharing the box. Key file for each: <user>_ed25519
# (btgpu keeps id_ed25519, which existing tests use).
readonly ANALYSTS=(btalice btbob)
readonly ACCOUNTS=("$SSH_USER" "${ANALYSTS[@]}")
readonly KEYS_DIR="$STATE_DIR/authorized_keys.d"
# Simulated GPUs: the stand-ins, and the state file nvidia-smi prints (tests write it).
readonly GPU_DIR="$STATE_DIR/gpu"
readonly GPU_BIN="$GPU_DIR/bin"
readonly GPU_STATE="$GPU_DIR/state.json"
readonly GPU_DEFAULT_STATE="$GPU_DIR/default-state.json"
readonly GPU_SRC="$REPO_ROOT/scripts/test-env/gpu"
# What SSH sessions on the host see: the stand-in first, then the usual system folders.
readonly HOST_PATH="$GPU_BIN:/usr/local/bin:/usr/bin:/bin"
readonly DOCKER_GROUP=bt-gpuhost-docker
readonly DOCKER_SOCK="$RUN_DIR/docker.sock"
readonly REGISTRY_PORT=5000
readonly ALT_PORT=2022

LOG_PREFIX=ssh-host
# shellcheck source=scripts/test-env/helpers.sh
source "$REPO_ROOT/scripts/test-env/helpers.sh"
# nsenter, not `ip netns exec`: the latter remounts /sys in a new mount namespace, which hides the
# cgroup mounts dockerd needs.
# Background daemons are started with "${NSENTER[@]}" directly (not through in_ns): a function run
# with & forks a subshell, and $! would name that subshell instead of the daemon.
readonly NSENTER=(nsenter --net="/run/netns/$NS")
in_ns() { "${NSENTER[@]}" "$@"; }
stop_pidfile() {
  if [[ -s "$1" ]]; then
    kill "$(cat "$1")" 2>/dev/null || true
    rm -f "$1"
  fi
}

ensure_tools() {
  local missing=()
  command -v ip >/dev/null || missing+=(iproute2)
  command -v socat >/dev/null || missing+=(socat)
  [[ -x /usr/sbin/sshd ]] || missing+=(openssh-server)
  command -v ssh-keygen >/dev/null || missing+=(openssh-client)
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v curl >/dev/null || missing+=(curl)
  command -v jq >/dev/null || missing+=(jq)
  # The nvidia-smi stand-in (scripts/test-env/gpu/nvidia-smi) runs on the system Python.
  [[ -x /usr/bin/python3 ]] || missing+=(python3)
  ((${#missing[@]} == 0)) && return
  say "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null ||
    { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
}

ensure_netns() {
  [[ -e "/run/netns/$NS" ]] || ip netns add "$NS"
  if ! ip link show "$VETH_HOST" >/dev/null 2>&1; then
    ip link add "$VETH_HOST" type veth peer name "$VETH_NS" netns "$NS"
  fi
  [[ "$(ip addr show dev "$VETH_HOST")" == *"$HOST_IP/$PREFIX"* ]] || ip addr add "$HOST_IP/$PREFIX" dev "$VETH_HOST"
  ip link set "$VETH_HOST" up
  [[ "$(in_ns ip addr show dev "$VETH_NS")" == *"$NS_IP/$PREFIX"* ]] || in_ns ip addr add "$NS_IP/$PREFIX" dev "$VETH_NS"
  in_ns ip link set lo up
  in_ns ip link set "$VETH_NS" up
}

ensure_users() {
  local user
  getent group "$DOCKER_GROUP" >/dev/null || groupadd --system "$DOCKER_GROUP"
  for user in "${ACCOUNTS[@]}"; do
    if ! id "$user" >/dev/null 2>&1; then
      useradd --create-home --shell /bin/bash --groups "$DOCKER_GROUP" "$user"
    fi
    [[ " $(id -nG "$user") " == *" $DOCKER_GROUP "* ]] || usermod -aG "$DOCKER_GROUP" "$user"
    # useradd leaves the account locked ('!'), and sshd without PAM refuses locked accounts even for
    # keys; '*' means "no password" without the lock.
    [[ "$(getent shadow "$user" | cut -d: -f2)" == '*' ]] || usermod -p '*' "$user"
  done
}

# key_file USER: the client key that logs in as USER.
key_file() { [[ "$1" == "$SSH_USER" ]] && echo "$OUT_DIR/id_ed25519" || echo "$OUT_DIR/$1_ed25519"; }

# install_if_changed SRC DEST MODE: copy only when the content differs, atomically (a running
# nvidia-smi never reads half a file).
install_if_changed() {
  if [[ -f "$2" ]] && cmp -s "$1" "$2"; then
    chmod "$3" "$2"
    return
  fi
  install -m "$3" "$1" "$2.tmp"
  mv -f "$2.tmp" "$2"
}

ensure_keys() {
  mkdir -p "$OUT_DIR"
  chmod 0755 "$OUT_DIR"
  [[ -f "$OUT_DIR/ssh_host_ed25519_key" ]] || ssh-keygen -q -t ed25519 -N '' -C bt-gpuhost-host -f "$OUT_DIR/ssh_host_ed25519_key"
  # A second host key type, as real hosts have: known_hosts may hold either one.
  [[ -f "$OUT_DIR/ssh_host_ecdsa_key" ]] || ssh-keygen -q -t ecdsa -b 256 -N '' -C bt-gpuhost-host -f "$OUT_DIR/ssh_host_ecdsa_key"
  # A key the host never has: the changed-host-key test puts it into known_hosts.
  [[ -f "$OUT_DIR/wrong_host_ed25519_key" ]] || ssh-keygen -q -t ed25519 -N '' -C bt-gpuhost-wrong -f "$OUT_DIR/wrong_host_ed25519_key"
  [[ -f "$OUT_DIR/id_ed25519" ]] || ssh-keygen -q -t ed25519 -N '' -C benchtop-test-client -f "$OUT_DIR/id_ed25519"
  local user key
  for user in "${ANALYSTS[@]}"; do
    key="$(key_file "$user")"
    [[ -f "$key" ]] || ssh-keygen -q -t ed25519 -N '' -C "benchtop-test-$user" -f "$key"
  done
  # A key sshd does not accept, for the authentication-failure test.
  [[ -f "$OUT_DIR/unauthorized_ed25519" ]] || ssh-keygen -q -t ed25519 -N '' -C benchtop-test-unauthorized -f "$OUT_DIR/unauthorized_ed25519"
  # sshd reads authorized_keys as the login user, who may not be able to traverse the checkout
  # (a CI clone under a 0700 home): keep them in the machine-wide state folder instead, one file per
  # account (sshd_config: AuthorizedKeysFile …/%u), so each key logs in as its own user only.
  mkdir -p "$STATE_DIR" "$KEYS_DIR"
  chmod 0755 "$STATE_DIR" "$(dirname "$STATE_DIR")" "$KEYS_DIR"
  for user in "${ACCOUNTS[@]}"; do
    install_if_changed "$(key_file "$user").pub" "$KEYS_DIR/$user" 0644
  done
  # Tests may run as the user who called sudo: let them read the client keys.
  if [[ -n "${SUDO_UID:-}" && "${SUDO_UID}" != 0 ]]; then
    chown "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$OUT_DIR/unauthorized_ed25519"
    for user in "${ACCOUNTS[@]}"; do chown "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$(key_file "$user")"; done
  fi
}

# The GPU stand-ins, out of the checkout. The state file is created from the default only when it is
# missing: a rerun must not reset what a running test set.
ensure_gpus() {
  mkdir -p "$GPU_BIN"
  chmod 0755 "$GPU_DIR" "$GPU_BIN"
  install_if_changed "$GPU_SRC/nvidia-smi" "$GPU_BIN/nvidia-smi" 0755
  install_if_changed "$GPU_SRC/nvidia-container-runtime-hook" "$GPU_BIN/nvidia-container-runtime-hook" 0755
  install_if_changed "$GPU_SRC/gpus.default.json" "$GPU_DEFAULT_STATE" 0644
  if [[ ! -s "$GPU_STATE" ]]; then
    install -m 0644 "$GPU_DEFAULT_STATE" "$GPU_STATE.tmp"
    mv -f "$GPU_STATE.tmp" "$GPU_STATE"
  fi
  # Tests write the state file (atomically: a temp file in the same folder, then rename).
  if [[ -n "${SUDO_UID:-}" && "${SUDO_UID}" != 0 ]]; then
    chown "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$GPU_DIR" "$GPU_STATE"
  fi
}

# dockerd_current: the running engine already has the hook on its PATH and live-restore on (both
# are read at start, so an engine from before this script knew them must be restarted once).
dockerd_current() {
  local pid
  [[ -s "$RUN_DIR/docker.pid" ]] || return 1
  pid="$(cat "$RUN_DIR/docker.pid")"
  [[ -r "/proc/$pid/environ" ]] || return 1
  [[ "$(tr '\0' '\n' <"/proc/$pid/environ")" == *"PATH=$GPU_BIN:"* ]] || return 1
  [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" == *"--live-restore"* ]]
}

stop_dockerd() {
  local pid
  [[ -s "$RUN_DIR/docker.pid" ]] || return 0
  pid="$(cat "$RUN_DIR/docker.pid")"
  if [[ -r "/proc/$pid/cmdline" && "$(tr '\0' ' ' <"/proc/$pid/cmdline")" == *"$DOCKER_SOCK"* ]]; then
    say "restarting dockerd in $NS (GPU stand-in hook and live-restore); its running containers stop this once"
    kill "$pid" 2>/dev/null || true
    wait_until 60 bash -c "! kill -0 $pid" || die "dockerd $pid in $NS did not stop within 60 s"
  fi
  rm -f "$RUN_DIR/docker.pid"
}

ensure_engine() {
  mkdir -p "$RUN_DIR" "$STATE_DIR"
  if ! pid_alive "$RUN_DIR/containerd.pid" "$RUN_DIR/containerd.toml"; then
    cat >"$RUN_DIR/containerd.toml" <<EOF
version = 2
root = "$STATE_DIR/containerd"
state = "$RUN_DIR/containerd"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$RUN_DIR/containerd.sock"
[ttrpc]
  address = ""
[debug]
  address = ""
EOF
    say "starting containerd in $NS"
    rm -f "$RUN_DIR/containerd.sock"
    # setsid: its own session, so killing the shell job that ran this script leaves the daemon up;
    # a background job of a script is no group leader, so setsid execs in place and $! stays the pid.
    setsid "${NSENTER[@]}" nohup containerd --config "$RUN_DIR/containerd.toml" >>"$STATE_DIR/containerd.log" 2>&1 </dev/null 8>&- 9>&- &
    echo $! >"$RUN_DIR/containerd.pid"
    wait_until 30 test -S "$RUN_DIR/containerd.sock" || die "containerd in $NS did not start (log: $STATE_DIR/containerd.log)"
  fi
  if curl -sf --max-time 3 --unix-socket "$DOCKER_SOCK" http://engine/_ping >/dev/null && dockerd_current; then
    return
  fi
  stop_dockerd
  say "starting dockerd in $NS (log: $STATE_DIR/dockerd.log)"
  # PATH: the hook stand-in first, so dockerd registers the nvidia device driver at start.
  setsid "${NSENTER[@]}" env PATH="$GPU_BIN:$PATH" nohup dockerd \
    --host "unix://$DOCKER_SOCK" --group "$DOCKER_GROUP" --live-restore \
    --containerd "$RUN_DIR/containerd.sock" \
    --data-root "$STATE_DIR/docker" --exec-root "$RUN_DIR/exec" --pidfile "$RUN_DIR/docker.pid" \
    --bip "$NS_BIP" >>"$STATE_DIR/dockerd.log" 2>&1 </dev/null 8>&- 9>&- &
  if ! wait_until 60 curl -sf --max-time 2 --unix-socket "$DOCKER_SOCK" http://engine/_ping; then
    tail -n 20 "$STATE_DIR/dockerd.log" >&2
    die "dockerd in $NS did not answer at $DOCKER_SOCK"
  fi
}

# 127.0.0.1:5000 inside the namespace → veth → the host's loopback registry, so both engines pull
# the very same refs. Two socats: one in the namespace, one on the host's veth address only.
ensure_registry_bridge() {
  if ! pid_alive "$RUN_DIR/bridge-host.pid" "TCP-LISTEN:$REGISTRY_PORT,bind=$HOST_IP"; then
    setsid nohup socat "TCP-LISTEN:$REGISTRY_PORT,bind=$HOST_IP,reuseaddr,fork" "TCP:127.0.0.1:$REGISTRY_PORT" \
      >>"$STATE_DIR/bridge.log" 2>&1 </dev/null 8>&- 9>&- &
    echo $! >"$RUN_DIR/bridge-host.pid"
  fi
  if ! pid_alive "$RUN_DIR/bridge-ns.pid" "TCP-LISTEN:$REGISTRY_PORT,bind=127.0.0.1"; then
    setsid "${NSENTER[@]}" nohup socat "TCP-LISTEN:$REGISTRY_PORT,bind=127.0.0.1,reuseaddr,fork" "TCP:$HOST_IP:$REGISTRY_PORT" \
      >>"$STATE_DIR/bridge.log" 2>&1 </dev/null 8>&- 9>&- &
    echo $! >"$RUN_DIR/bridge-ns.pid"
  fi
}

ensure_sshd() {
  local config="$OUT_DIR/sshd_config" fresh
  fresh="$(mktemp)"
  cat >"$fresh" <<EOF
# Written by scripts/test-env/ssh-host.sh; the test GPU host's sshd (namespace $NS).
ListenAddress $NS_IP:22
# A second port, for known_hosts' [host]:port entries.
ListenAddress $NS_IP:$ALT_PORT
HostKey $OUT_DIR/ssh_host_ed25519_key
HostKey $OUT_DIR/ssh_host_ecdsa_key
PidFile $RUN_DIR/sshd.pid
AuthorizedKeysFile $KEYS_DIR/%u
StrictModes no
UsePAM no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
AllowUsers ${ACCOUNTS[*]}
AllowTcpForwarding yes
AllowStreamLocalForwarding yes
# The plain docker CLI (docker -H ssh://…, used by the benchmarks) runs 'docker system dial-stdio' there;
# PATH puts the nvidia-smi stand-in first for SSH sessions only (this computer itself has no GPUs).
SetEnv DOCKER_HOST=unix://$DOCKER_SOCK PATH=$HOST_PATH
# DEBUG1 logs every channel a connection opens, so tests can count connections and channels.
LogLevel DEBUG1
MaxStartups 100:30:200
MaxSessions 100
EOF
  if [[ -f "$config" ]] && cmp -s "$fresh" "$config" && pid_alive "$RUN_DIR/sshd.pid" "$config"; then
    rm -f "$fresh"
    return
  fi
  chmod 0644 "$fresh"
  mv -f "$fresh" "$config"
  stop_pidfile "$RUN_DIR/sshd.pid"
  mkdir -p /run/sshd
  /usr/sbin/sshd -t -f "$config" || die "sshd rejects $config"
  say "starting sshd on $NS_IP:22 (log: $RUN_DIR/sshd.log)"
  : >"$RUN_DIR/sshd.log"
  chmod 0644 "$RUN_DIR/sshd.log"
  in_ns /usr/sbin/sshd -f "$config" -E "$RUN_DIR/sshd.log" 8>&- 9>&-
  wait_until 15 pid_alive "$RUN_DIR/sshd.pid" "$config" || die "sshd did not start (log: $RUN_DIR/sshd.log)"
}

write_json() {
  local key_line fingerprint wrong_line ecdsa_line ecdsa_fingerprint tmp accounts='[]' user
  key_line="$(cut -d' ' -f1,2 "$OUT_DIR/ssh_host_ed25519_key.pub")"
  wrong_line="$(cut -d' ' -f1,2 "$OUT_DIR/wrong_host_ed25519_key.pub")"
  fingerprint="$(ssh-keygen -l -E sha256 -f "$OUT_DIR/ssh_host_ed25519_key.pub" | awk '{print $2}')"
  ecdsa_line="$(cut -d' ' -f1,2 "$OUT_DIR/ssh_host_ecdsa_key.pub")"
  ecdsa_fingerprint="$(ssh-keygen -l -E sha256 -f "$OUT_DIR/ssh_host_ecdsa_key.pub" | awk '{print $2}')"
  for user in "${ACCOUNTS[@]}"; do
    accounts="$(jq -c --arg user "$user" --arg identityFile "$(key_file "$user")" '. + [{user: $user, identityFile: $identityFile}]' <<<"$accounts")"
  done
  tmp="$(mktemp)"
  jq -n --argjson accounts "$accounts" --arg gpuState "$GPU_STATE" --arg gpuDefaultState "$GPU_DEFAULT_STATE" \
    --arg gpuBin "$GPU_BIN" --argjson gpuCount "$(jq '.gpus | length' "$GPU_DEFAULT_STATE")" \
    --arg host "$NS_IP" --arg user "$SSH_USER" --arg identityFile "$OUT_DIR/id_ed25519" \
    --arg unauthorizedIdentityFile "$OUT_DIR/unauthorized_ed25519" \
    --arg knownHostsLine "$NS_IP $key_line" --arg wrongKnownHostsLine "$NS_IP $wrong_line" \
    --arg hostKeyFingerprint "$fingerprint" --arg dockerSocket "$DOCKER_SOCK" \
    --arg ecdsaKnownHostsLine "$NS_IP $ecdsa_line" --arg ecdsaFingerprint "$ecdsa_fingerprint" \
    --arg sshdLog "$RUN_DIR/sshd.log" --arg namespace "$NS" --arg hostSideIp "$HOST_IP" --argjson altPort "$ALT_PORT" \
    '{host: $host, port: 22, altPort: $altPort, user: $user, identityFile: $identityFile,
      unauthorizedIdentityFile: $unauthorizedIdentityFile,
      knownHostsLine: $knownHostsLine, wrongKnownHostsLine: $wrongKnownHostsLine,
      hostKeyFingerprint: $hostKeyFingerprint, dockerSocket: $dockerSocket,
      ecdsaKnownHostsLine: $ecdsaKnownHostsLine, ecdsaFingerprint: $ecdsaFingerprint,
      sshdLog: $sshdLog, namespace: $namespace, hostSideIp: $hostSideIp, accounts: $accounts,
      gpus: {count: $gpuCount, stateFile: $gpuState, defaultStateFile: $gpuDefaultState, binDir: $gpuBin}}' >"$tmp"
  chmod 0644 "$tmp"
  if [[ -f "$OUT_DIR/../ssh-host.json" ]] && cmp -s "$tmp" "$OUT_DIR/../ssh-host.json"; then
    rm -f "$tmp"
  else
    mv -f "$tmp" "$OUT_DIR/../ssh-host.json"
  fi
}

main() {
  ((EUID == 0)) || die "needs root (network namespace, dockerd, sshd): sudo $0"
  # One run at a time (its own lock: scripts/test-env.sh holds its lock while it runs this). Daemons
  # are started with fds 8 and 9 closed, or they would hold this lock and test-env.sh's forever.
  exec 8>>/tmp/benchtop-ssh-host.lock
  flock -w 300 8 || die "another ssh-host.sh run held /tmp/benchtop-ssh-host.lock for 5 minutes"
  ensure_tools
  ensure_netns
  ensure_users
  ensure_keys
  ensure_gpus
  ensure_engine
  ensure_registry_bridge
  ensure_sshd
  write_json
  say "ready: ssh ${ACCOUNTS[*]} @$NS_IP (engine $DOCKER_SOCK, $(jq '.gpus | length' "$GPU_STATE") simulated GPUs)"
}

main "$@"
