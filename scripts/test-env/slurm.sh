#!/usr/bin/env bash
# The test Slurm cluster (issue 15), from Debian's packages, on this one machine:
#   munged; MariaDB + slurmdbd (cluster btcluster, account team, users btalice and btbob, QOS gpu-user
#   with a per-user GPU limit); slurmctld; two slurmd nodes, bt-node1 in this network namespace and
#   bt-node2 in its own (bt-slurm2, reached over a veth pair), each with simulated GPUs (GRES over
#   mknod device files); slurmrestd with JWT; a login node's sshd on 127.0.0.1; rootless podman for
#   btalice and btbob with the analysis image in each user's store; an Epilog that removes a job's
#   containers; a "shared file system" folder per user.
# Configuration templates and the Epilog live in scripts/test-env/slurm/ (README.md there documents
# what the tests get). Writes .test-env/slurm.json (env-json.sh puts it into env.json as "slurm";
# this script also updates an existing env.json itself) and keeps keys under .test-env/slurm/.
# Idempotent: with everything up a rerun takes seconds; after a reboot it starts what is down.
# Usage: sudo scripts/test-env/slurm.sh   (also run by scripts/test-env.sh)
# (No `cmd | grep -q` here: with pipefail, grep's early exit turns into a failure of the pipe.)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT
readonly SRC="$REPO_ROOT/scripts/test-env/slurm"
readonly CLUSTER=btcluster ACCOUNT=team QOS=gpu-user PARTITION=gpu
readonly USERS=(btalice btbob)
readonly GPUS_PER_NODE=2 MAX_GPUS_PER_USER=2 MAX_TIME_MIN=240
readonly NS=bt-slurm2 VETH_HOST=bt-slurm0 VETH_NS=bt-slurm1
readonly NODE1_ADDR=10.213.20.1 NODE2_ADDR=10.213.20.2 PREFIX=30
readonly LOGIN_PORT=2230 RESTD_PORT=6820
readonly REGISTRY_PORTS=(5000 5001)
readonly JOB_LABEL=dev.benchtop.slurm.job
readonly STATE=/var/lib/benchtop-test/slurm
readonly RUN=/run/bt-slurm
readonly DEV="$STATE/dev"
readonly LOG="$STATE/log"
readonly JWT_KEY="$STATE/jwt_hs256.key"
readonly EPILOG="$STATE/epilog.sh"
readonly KEYS_DIR="$STATE/authorized_keys"
readonly SHARED_DIR=/srv/bt-slurm-home
readonly CONF_DIR=/etc/slurm
readonly OUT_DIR="$REPO_ROOT/.test-env/slurm"
readonly MUNGE_SOCKET=/run/munge/munge.socket.2
readonly DB_SOCKET=/run/mysqld/mysqld.sock
readonly PACKAGES=(slurm-wlm slurmctld slurmd slurm-client munge slurmdbd slurmrestd slurm-wlm-jwt-plugin
  mariadb-server podman slirp4netns uidmap fuse-overlayfs catatonit runc openssh-server socat jq)

LOG_PREFIX=slurm
# shellcheck source=scripts/test-env/helpers.sh
source "$REPO_ROOT/scripts/test-env/helpers.sh"
readonly NSENTER=(nsenter --net="/run/netns/$NS")
in_ns() { "${NSENTER[@]}" "$@"; }
# detach CMD...: start a daemon in its own session with the lock fds closed (test-env.sh's lock must
# not be held by it), its output into $LOG.
detach() {
  local name="$1"
  shift
  setsid nohup "$@" >>"$LOG/$name.out" 2>&1 </dev/null 8>&- 9>&- &
}
# render TEMPLATE DEST MODE: fill @NAME@ placeholders; returns 0 when DEST changed.
render() {
  local tmp
  tmp="$(mktemp)"
  sed -e "s|@CLUSTER@|$CLUSTER|g" -e "s|@CTLD_HOST@|$(hostname -s)|g" -e "s|@CTLD_ADDR@|$NODE1_ADDR|g" \
    -e "s|@JWT_KEY@|$JWT_KEY|g" -e "s|@STATE@|$STATE|g" -e "s|@RUN@|$RUN|g" -e "s|@EPILOG@|$EPILOG|g" \
    -e "s|@NODE1_ADDR@|$NODE1_ADDR|g" -e "s|@NODE2_ADDR@|$NODE2_ADDR|g" -e "s|@GPUS_PER_NODE@|$GPUS_PER_NODE|g" \
    -e "s|@PARTITION@|$PARTITION|g" -e "s|@MAX_TIME_MIN@|$MAX_TIME_MIN|g" -e "s|@DEV@|$DEV|g" \
    -e "s|@DB_PASS@|$(db_password)|g" "$1" >"$tmp"
  if [[ -f "$2" ]] && cmp -s "$tmp" "$2"; then
    rm -f "$tmp"
    chmod "$3" "$2"
    return 1
  fi
  chmod "$3" "$tmp"
  mv -f "$tmp" "$2"
}
db_password() {
  [[ -s "$STATE/db-password" ]] || (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$STATE/db-password")
  cat "$STATE/db-password"
}

ensure_packages() {
  local missing
  missing="$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${PACKAGES[@]}" 2>/dev/null |
    awk -v want="${PACKAGES[*]}" '$2 == "installed" { ok[$1] = 1 }
      END { n = split(want, w, " "); for (i = 1; i <= n; i++) if (!ok[w[i]]) print w[i] }' || true)"
  [[ -z "$missing" ]] && return
  say "installing ${missing//$'\n'/ }"
  # The packages' own services must not start (no systemd here, and we run the daemons ourselves).
  # shellcheck disable=SC2086 # one package per word
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >"$LOG/apt.log" 2>&1 ||
    { apt-get update >>"$LOG/apt.log" 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >>"$LOG/apt.log" 2>&1; } ||
    die "apt-get install failed (log: $LOG/apt.log)"
}

ensure_dirs() {
  mkdir -p "$STATE"/{ctld,spool,log} "$RUN" "$DEV" "$KEYS_DIR" "$OUT_DIR" "$CONF_DIR" "$SHARED_DIR"
  chmod 0755 "$STATE" "$(dirname "$STATE")" "$DEV" "$KEYS_DIR" "$OUT_DIR" "$SHARED_DIR" "$LOG"
  # Simulated GPUs: character devices 195:N (the NVIDIA major), no driver behind them.
  # One folder per node, as each real node has its own /dev/nvidia0…: SLURM_JOB_GPUS=N on a node means
  # $DEV/<node>/nvidiaN.
  local node n
  for node in bt-node1 bt-node2; do
    mkdir -p "$DEV/$node"
    chmod 0755 "$DEV/$node"
    for ((n = 0; n < GPUS_PER_NODE; n++)); do
      [[ -c "$DEV/$node/nvidia$n" ]] || mknod -m 0666 "$DEV/$node/nvidia$n" c 195 "$n"
    done
  done
  # Rootless podman's slirp4netns needs the tun device, which this VM creates 0600.
  [[ "$(stat -c %a /dev/net/tun)" == 666 ]] || chmod 0666 /dev/net/tun
}

ensure_netns() {
  [[ -e "/run/netns/$NS" ]] || ip netns add "$NS"
  ip link show "$VETH_HOST" >/dev/null 2>&1 || ip link add "$VETH_HOST" type veth peer name "$VETH_NS" netns "$NS"
  [[ "$(ip addr show dev "$VETH_HOST")" == *"$NODE1_ADDR/$PREFIX"* ]] || ip addr add "$NODE1_ADDR/$PREFIX" dev "$VETH_HOST"
  ip link set "$VETH_HOST" up
  [[ "$(in_ns ip addr show dev "$VETH_NS")" == *"$NODE2_ADDR/$PREFIX"* ]] || in_ns ip addr add "$NODE2_ADDR/$PREFIX" dev "$VETH_NS"
  in_ns ip link set lo up
  in_ns ip link set "$VETH_NS" up
  # The registries on 127.0.0.1 reached from bt-node2's loopback too (jobs pull the same refs there):
  # a socat in the namespace forwards to one on this side's veth address.
  local port
  for port in "${REGISTRY_PORTS[@]}"; do
    if ! pid_alive "$RUN/bridge-host-$port.pid" "TCP-LISTEN:$port,bind=$NODE1_ADDR"; then
      detach bridge socat "TCP-LISTEN:$port,bind=$NODE1_ADDR,reuseaddr,fork" "TCP:127.0.0.1:$port"
      echo $! >"$RUN/bridge-host-$port.pid"
    fi
    if ! pid_alive "$RUN/bridge-ns-$port.pid" "TCP-LISTEN:$port,bind=127.0.0.1"; then
      detach bridge "${NSENTER[@]}" socat "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" "TCP:$NODE1_ADDR:$port"
      echo $! >"$RUN/bridge-ns-$port.pid"
    fi
  done
}

# Real local users (the SSH test host's analysts, created here when that script has not run), with
# subordinate id ranges for rootless podman.
ensure_users() {
  local user
  for user in "${USERS[@]}"; do
    id "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$user"
    [[ "$(getent shadow "$user" | cut -d: -f2)" == '*' ]] || usermod -p '*' "$user"
    grep -qs "^$user:" /etc/subuid || usermod --add-subuids "$(next_sub_range /etc/subuid)" "$user"
    grep -qs "^$user:" /etc/subgid || usermod --add-subgids "$(next_sub_range /etc/subgid)" "$user"
    mkdir -p "$SHARED_DIR/$user"
    chown "$user:" "$SHARED_DIR/$user"
    chmod 0700 "$SHARED_DIR/$user"
  done
  # Rootless podman keeps its runtime state in /tmp/podman-run-UID and /tmp/containers-user-UID here
  # (no XDG_RUNTIME_DIR without logind), and /tmp survives a reboot on these machines: after one, that
  # state names containers that no longer run, and podman refreshes it only when it is gone.
  local boot
  boot="$(cat /proc/sys/kernel/random/boot_id)"
  if [[ "$(cat "$STATE/boot_id" 2>/dev/null || true)" != "$boot" ]]; then
    for user in "${USERS[@]}"; do
      rm -rf "/tmp/podman-run-$(id -u "$user")" "/tmp/containers-user-$(id -u "$user")"
    done
    echo "$boot" >"$STATE/boot_id"
  fi
}
# next_sub_range FILE: a free 65536-id range after every range in FILE.
next_sub_range() {
  local start
  start="$(awk -F: 'BEGIN { m = 100000 } { e = $2 + $3; if (e > m) m = e } END { print m }' "$1" 2>/dev/null || echo 100000)"
  echo "$start-$((start + 65535))"
}

ensure_munge() {
  if [[ -S "$MUNGE_SOCKET" ]] && munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then return; fi
  [[ -s /etc/munge/munge.key ]] || { /usr/sbin/mungekey --create --keyfile /etc/munge/munge.key && chown munge: /etc/munge/munge.key; }
  mkdir -p /run/munge
  chown munge: /run/munge
  chmod 0755 /run/munge
  say "starting munged"
  setsid runuser -u munge -- /usr/sbin/munged --force >>"$LOG/munged.out" 2>&1 </dev/null 8>&- 9>&-
  wait_until 15 bash -c "munge -n </dev/null | unmunge" || die "munged did not start (log: $LOG/munged.out, /var/log/munge/munged.log)"
}

ensure_mariadb() {
  if ! mariadb-admin --socket="$DB_SOCKET" ping >/dev/null 2>&1; then
    mkdir -p /run/mysqld
    chown mysql: /run/mysqld
    say "starting MariaDB (log: $LOG/mariadb.log)"
    # Small: slurmdbd's few tables need no buffer pool to speak of; no TCP (slurmdbd uses the socket).
    detach mariadb /usr/sbin/mariadbd --user=mysql --skip-networking --socket="$DB_SOCKET" \
      --pid-file=/run/mysqld/mysqld.pid --log-error="$LOG/mariadb.log" \
      --innodb-buffer-pool-size=16M --performance-schema=OFF --skip-log-bin
    wait_until 60 mariadb-admin --socket="$DB_SOCKET" ping || die "MariaDB did not start (log: $LOG/mariadb.log)"
  fi
  # root logs in over the socket as the OS user root (unix_socket); slurmdbd uses its own account.
  mariadb --socket="$DB_SOCKET" -e "CREATE USER IF NOT EXISTS 'slurm'@'localhost';
    ALTER USER 'slurm'@'localhost' IDENTIFIED BY '$(db_password)';
    GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost';" || die "MariaDB refused the slurm account"
}

CONF_CHANGED=0
ensure_config() {
  [[ -s "$JWT_KEY" ]] || (umask 077 && head -c 32 /dev/urandom >"$JWT_KEY")
  chmod 0600 "$JWT_KEY"
  render "$SRC/slurm.conf.in" "$CONF_DIR/slurm.conf" 0644 && CONF_CHANGED=1
  render "$SRC/gres.conf.in" "$CONF_DIR/gres.conf" 0644 && CONF_CHANGED=1
  render "$SRC/slurmdbd.conf.in" "$CONF_DIR/slurmdbd.conf" 0600 || true
  render "$SRC/epilog.sh" "$EPILOG" 0755 || true
  return 0
}

ensure_slurmdbd() {
  if pid_alive "$RUN/slurmdbd.pid" slurmdbd && sacctmgr -n show cluster >/dev/null 2>&1; then return; fi
  say "starting slurmdbd"
  setsid /usr/sbin/slurmdbd >>"$LOG/slurmdbd.out" 2>&1 </dev/null 8>&- 9>&-
  wait_until 30 sacctmgr -n show cluster || die "slurmdbd did not answer (log: $LOG/slurmdbd.log)"
}

# The accounting records: added only when missing (each sacctmgr call is one round trip).
ensure_accounts() {
  local user
  [[ -n "$(sacctmgr -nP show cluster "$CLUSTER" format=cluster)" ]] || sacctmgr -i add cluster "$CLUSTER" >/dev/null
  [[ -n "$(sacctmgr -nP show account "$ACCOUNT" format=account)" ]] ||
    sacctmgr -i add account "$ACCOUNT" Cluster="$CLUSTER" Description="Benchtop test team" Organization=benchtop >/dev/null
  for user in "${USERS[@]}"; do
    if [[ -z "$(sacctmgr -nP show assoc where user="$user" account="$ACCOUNT" format=user)" ]]; then
      sacctmgr -i add user "$user" Account="$ACCOUNT" Cluster="$CLUSTER" >/dev/null
    fi
  done
}

# The QOS names gres/gpu, a TRES slurmdbd knows only once slurmctld registered with
# AccountingStorageTRES=gres/gpu: so this runs after slurmctld is up.
ensure_qos() {
  local user
  wait_until 30 bash -c "sacctmgr -nP show tres format=type,name | grep -qx 'gres|gpu'" ||
    die "slurmdbd never learned the gres/gpu TRES from slurmctld (log: $LOG/slurmctld.log)"
  [[ -n "$(sacctmgr -nP show qos "$QOS" format=name)" ]] ||
    sacctmgr -i add qos "$QOS" MaxTRESPerUser="gres/gpu=$MAX_GPUS_PER_USER" >/dev/null
  for user in "${USERS[@]}"; do
    [[ "$(sacctmgr -nP show assoc where user="$user" account="$ACCOUNT" format=qos,defaultqos)" == "$QOS|$QOS" ]] ||
      sacctmgr -i modify user "$user" set QOS="$QOS" DefaultQOS="$QOS" >/dev/null
  done
}

ensure_slurmctld() {
  if pid_alive "$RUN/slurmctld.pid" slurmctld && scontrol ping >/dev/null 2>&1; then
    if ((CONF_CHANGED)); then
      say "slurm.conf changed: scontrol reconfigure"
      scontrol reconfigure || die "scontrol reconfigure failed (log: $LOG/slurmctld.log)"
    fi
    return
  fi
  say "starting slurmctld"
  setsid /usr/sbin/slurmctld >>"$LOG/slurmctld.out" 2>&1 </dev/null 8>&- 9>&-
  wait_until 30 scontrol ping || die "slurmctld did not answer (log: $LOG/slurmctld.log)"
}

ensure_slurmd() {
  local node="$1" restart=$CONF_CHANGED
  shift
  if pid_alive "$RUN/slurmd-$node.pid" "slurmd" && ((restart == 0)); then return; fi
  if [[ -s "$RUN/slurmd-$node.pid" ]]; then
    kill "$(cat "$RUN/slurmd-$node.pid")" 2>/dev/null || true
    wait_until 15 bash -c "! kill -0 $(cat "$RUN/slurmd-$node.pid") 2>/dev/null" || true
  fi
  mkdir -p "$STATE/spool/$node"
  say "starting slurmd $node"
  setsid "$@" /usr/sbin/slurmd -N "$node" >>"$LOG/slurmd-$node.out" 2>&1 </dev/null 8>&- 9>&-
}

wait_nodes() {
  local idle
  # Both nodes registered and usable (idle, mixed or allocated: a rerun may find jobs running).
  wait_until 60 bash -c "[[ \$(sinfo -h -N -p $PARTITION -o '%t' | grep -cE '^(idle|mix|alloc)') -eq 2 ]]" || {
    sinfo -N -p "$PARTITION" >&2 || true
    die "the nodes did not come up (logs: $LOG/slurmd-bt-node1.log, $LOG/slurmd-bt-node2.log)"
  }
  idle="$(sinfo -h -N -p "$PARTITION" -o '%N %t %G' | tr '\n' ';')"
  say "nodes: $idle"
}

ensure_restd() {
  if pid_alive "$RUN/slurmrestd.pid" slurmrestd && curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$RESTD_PORT/"; then return; fi
  say "starting slurmrestd on 127.0.0.1:$RESTD_PORT (JWT)"
  # slurmrestd will not run as root: it drops to nobody; SLURM_JWT=daemon makes it pass the
  # callers' tokens on to slurmctld.
  SLURM_JWT=daemon setsid nohup /usr/sbin/slurmrestd -a rest_auth/jwt -u nobody -g nogroup "127.0.0.1:$RESTD_PORT" \
    >>"$LOG/slurmrestd.log" 2>&1 </dev/null 8>&- 9>&- &
  echo $! >"$RUN/slurmrestd.pid"
  wait_until 15 curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$RESTD_PORT/" || {
    say "slurmrestd did not start (log: $LOG/slurmrestd.log); env.json says restd: null"
    rm -f "$RUN/slurmrestd.pid"
  }
}

key_file() { echo "$OUT_DIR/$1_ed25519"; }

ensure_login() {
  local user config="$OUT_DIR/sshd_config" fresh
  [[ -f "$OUT_DIR/ssh_host_ed25519_key" ]] || ssh-keygen -q -t ed25519 -N '' -C bt-slurm-login -f "$OUT_DIR/ssh_host_ed25519_key"
  for user in "${USERS[@]}"; do
    [[ -f "$(key_file "$user")" ]] || ssh-keygen -q -t ed25519 -N '' -C "benchtop-slurm-$user" -f "$(key_file "$user")"
    install -m 0644 "$(key_file "$user").pub" "$KEYS_DIR/$user"
    # Tests may run as the user who called sudo: let them read the client keys.
    if [[ -n "${SUDO_UID:-}" && "${SUDO_UID}" != 0 ]]; then chown "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$(key_file "$user")"; fi
  done
  echo "[127.0.0.1]:$LOGIN_PORT $(cut -d' ' -f1,2 "$OUT_DIR/ssh_host_ed25519_key.pub")" >"$OUT_DIR/known_hosts.tmp"
  chmod 0644 "$OUT_DIR/known_hosts.tmp"
  mv -f "$OUT_DIR/known_hosts.tmp" "$OUT_DIR/known_hosts"
  fresh="$(mktemp)"
  cat >"$fresh" <<EOF
# Written by scripts/test-env/slurm.sh: the test Slurm cluster's login node.
ListenAddress 127.0.0.1:$LOGIN_PORT
HostKey $OUT_DIR/ssh_host_ed25519_key
PidFile $RUN/sshd.pid
AuthorizedKeysFile $KEYS_DIR/%u
StrictModes no
UsePAM no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
AllowUsers ${USERS[*]}
AllowTcpForwarding yes
AllowStreamLocalForwarding yes
LogLevel VERBOSE
MaxStartups 100:30:200
MaxSessions 100
EOF
  if [[ -f "$config" ]] && cmp -s "$fresh" "$config" && pid_alive "$RUN/sshd.pid" "$config"; then
    rm -f "$fresh"
    return
  fi
  chmod 0644 "$fresh"
  mv -f "$fresh" "$config"
  [[ ! -s "$RUN/sshd.pid" ]] || kill "$(cat "$RUN/sshd.pid")" 2>/dev/null || true
  rm -f "$RUN/sshd.pid"
  mkdir -p /run/sshd
  /usr/sbin/sshd -t -f "$config" || die "sshd rejects $config"
  say "starting the login node's sshd on 127.0.0.1:$LOGIN_PORT"
  /usr/sbin/sshd -f "$config" -E "$LOG/sshd.log" 8>&- 9>&-
  wait_until 15 pid_alive "$RUN/sshd.pid" "$config" || die "sshd did not start (log: $LOG/sshd.log)"
}

# The analysis image this checkout's test-env publishes (lib.sh knows its versions).
analysis_image() {
  (
    # shellcheck source=scripts/test-env/lib.sh
    source "$REPO_ROOT/scripts/test-env/lib.sh"
    echo "$OPEN_REGISTRY/$IMAGE_REPO:${IMAGE_VERSIONS[${#IMAGE_VERSIONS[@]} - 1]}"
  )
}

as_user() {
  local user="$1" home
  shift
  home="$(getent passwd "$user" | cut -d: -f6)"
  (cd / && runuser -u "$user" -- env -i HOME="$home" USER="$user" LOGNAME="$user" PATH=/usr/local/bin:/usr/bin:/bin "$@")
}

# Each user's podman configuration, and the image in each user's store (loaded from the host's
# engine when missing or different: `docker save | podman load` keeps the image id). One `docker save`
# feeds every user's load through a FIFO each; the loads run while the daemons start.
IMAGE_PIDS=()
ensure_podman() {
  local user home file image want fifo loads=()
  image="$(analysis_image)"
  want="$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null)" ||
    die "the host's engine has no $image: run scripts/test-env.sh (analysis images) first"
  for user in "${USERS[@]}"; do
    home="$(getent passwd "$user" | cut -d: -f6)"
    install -d -o "$user" -g "$user" -m 0755 "$home/.config" "$home/.config/containers"
    for file in containers.conf storage.conf registries.conf; do
      if ! cmp -s "$SRC/$file" "$home/.config/containers/$file"; then
        install -o "$user" -g "$user" -m 0644 "$SRC/$file" "$home/.config/containers/$file"
      fi
    done
    if [[ "sha256:$(as_user "$user" podman image inspect --format '{{.Id}}' "$image" 2>/dev/null)" == "$want" ]]; then
      continue
    fi
    say "loading $image into $user's podman store"
    fifo="$RUN/image-$user.fifo"
    rm -f "$fifo"
    mkfifo -m 0600 "$fifo"
    (as_user "$user" podman load <"$fifo" >"$LOG/podman-load-$user.log" 2>&1) 8>&- 9>&- &
    IMAGE_PIDS+=($!)
    loads+=("$fifo")
  done
  ((${#loads[@]} == 0)) && return
  (docker save "$image" | tee "${loads[@]}" >/dev/null) 8>&- 9>&- &
  IMAGE_PIDS+=($!)
}
wait_podman() {
  local pid
  for pid in "${IMAGE_PIDS[@]}"; do
    wait "$pid" || die "loading the image into the users' podman stores failed (logs: $LOG/podman-load-*.log)"
  done
  rm -f "$RUN"/image-*.fifo
}

write_json() {
  local users='[]' user home restd=null tmp
  for user in "${USERS[@]}"; do
    home="$(getent passwd "$user" | cut -d: -f6)"
    users="$(jq -c --arg name "$user" --arg key "$(key_file "$user")" --arg home "$home" --arg shared "$SHARED_DIR/$user" \
      '. + [{name: $name, key: $key, home: $home, sharedDir: $shared}]' <<<"$users")"
  done
  if pid_alive "$RUN/slurmrestd.pid" slurmrestd; then
    restd="$(jq -cn --arg url "http://127.0.0.1:$RESTD_PORT" --arg key "$JWT_KEY" '{url: $url, apiVersion: "v0.0.38", jwtKeyFile: $key}')"
  fi
  tmp="$(mktemp)"
  jq -n --arg cluster "$CLUSTER" --argjson port "$LOGIN_PORT" --arg knownHosts "$OUT_DIR/known_hosts" \
    --arg knownHostsLine "$(cat "$OUT_DIR/known_hosts")" \
    --arg fingerprint "$(ssh-keygen -l -E sha256 -f "$OUT_DIR/ssh_host_ed25519_key.pub" | awk '{print $2}')" \
    --argjson users "$users" --arg partition "$PARTITION" --argjson maxTime "$MAX_TIME_MIN" \
    --arg account "$ACCOUNT" --arg qos "$QOS" --argjson maxGpus "$MAX_GPUS_PER_USER" \
    --arg node1 "$NODE1_ADDR" --arg node2 "$NODE2_ADDR" --arg ns "$NS" --argjson perNode "$GPUS_PER_NODE" \
    --arg image "$(analysis_image)" --arg registry "127.0.0.1:${REGISTRY_PORTS[0]}" --arg jobLabel "$JOB_LABEL" \
    --argjson restd "$restd" --arg shared "$SHARED_DIR" --arg conf "$CONF_DIR/slurm.conf" \
    --arg ctldPid "$RUN/slurmctld.pid" --arg dev "$DEV/{node}/nvidia{index}" \
    '{cluster: $cluster,
      login: {host: "127.0.0.1", port: $port, knownHosts: $knownHosts, knownHostsLine: $knownHostsLine,
              hostKeyFingerprint: $fingerprint},
      users: $users, partition: $partition, partitionMaxTimeMinutes: $maxTime,
      account: $account, qos: $qos, maxGpusPerUser: $maxGpus,
      nodes: [{name: "bt-node1", addr: $node1, namespace: null, gpus: $perNode},
              {name: "bt-node2", addr: $node2, namespace: $ns, gpus: $perNode}],
      gpusPerNode: $perNode, totalGpus: ($perNode * 2), gpuDevicePattern: $dev,
      runtime: "podman", image: $image, registry: $registry, jobLabel: $jobLabel,
      restd: $restd, sharedDir: $shared, slurmConf: $conf, slurmctldPidFile: $ctldPid}' >"$tmp"
  chmod 0644 "$tmp"
  if [[ -f "$REPO_ROOT/.test-env/slurm.json" ]] && cmp -s "$tmp" "$REPO_ROOT/.test-env/slurm.json"; then
    rm -f "$tmp"
  else
    mv -f "$tmp" "$REPO_ROOT/.test-env/slurm.json"
  fi
  # Run alone, keep an existing env.json in step (scripts/test-env.sh rewrites it with this file).
  local env="$REPO_ROOT/.test-env/env.json"
  if [[ -f "$env" ]] && ! jq -e --slurpfile s "$REPO_ROOT/.test-env/slurm.json" '.slurm == $s[0]' "$env" >/dev/null; then
    tmp="$(mktemp "$env.XXXXXX")"
    jq --slurpfile s "$REPO_ROOT/.test-env/slurm.json" '.slurm = $s[0]' "$env" >"$tmp"
    chmod 0644 "$tmp"
    mv -f "$tmp" "$env"
  fi
}

main() {
  local started=$SECONDS
  ((EUID == 0)) || die "needs root (daemons, users, a network namespace): sudo $0"
  mkdir -p "$LOG"
  exec 8>>/tmp/benchtop-slurm.lock
  flock -w 300 8 || die "another slurm.sh run held /tmp/benchtop-slurm.lock for 5 minutes"
  ensure_packages
  ensure_dirs
  ensure_netns
  ensure_users
  # The image loads take longest: they run while the daemons start.
  ensure_podman
  ensure_munge
  ensure_mariadb
  ensure_config
  ensure_slurmdbd
  ensure_accounts
  ensure_slurmctld
  ensure_qos
  ensure_slurmd bt-node1
  ensure_slurmd bt-node2 "${NSENTER[@]}"
  ensure_login
  wait_nodes
  ensure_restd
  wait_podman
  write_json
  say "ready in $((SECONDS - started)) s: ssh -p $LOGIN_PORT ${USERS[0]}@127.0.0.1 (keys in $OUT_DIR)"
}

main "$@"
