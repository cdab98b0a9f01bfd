#!/usr/bin/env bash
# Stops the test Slurm cluster of scripts/test-env/slurm.sh, as a reboot would (its daemons, MariaDB,
# munged, the bt-slurm2 namespace and /run state), so `slurm.sh` can be timed or checked restarting it.
#   --wipe  also forget everything a fresh machine would not have: Slurm's state and accounting
#           database, the users' podman stores (their images); keys and users stay.
# Run as root. Not used by the tests.
set -euo pipefail
readonly STATE=/var/lib/benchtop-test/slurm RUN=/run/bt-slurm NS=bt-slurm2

stop_pid() {
  local pid
  [[ -s "$1" ]] || return 0
  pid="$(cat "$1")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$1"
}

for f in "$RUN"/slurmrestd.pid "$RUN"/sshd.pid "$RUN"/slurmd-*.pid "$RUN"/slurmctld.pid "$RUN"/slurmdbd.pid "$RUN"/bridge-*.pid; do
  stop_pid "$f"
done
if [[ ${1:-} == --wipe ]]; then
  mariadb --socket=/run/mysqld/mysqld.sock -e 'DROP DATABASE IF EXISTS slurm_acct_db' 2>/dev/null || true
fi
stop_pid /run/mysqld/mysqld.pid
stop_pid /run/munge/munged.pid
rm -f /run/munge/munge.socket.2*
[[ ! -e "/run/netns/$NS" ]] || ip netns del "$NS"
rm -rf "$RUN"
if [[ ${1:-} == --wipe ]]; then
  rm -rf "$STATE/ctld" "$STATE/spool" "$STATE/dev"
  for user in btalice btbob; do
    id "$user" >/dev/null 2>&1 || continue
    (cd / && runuser -u "$user" -- env -i HOME="$(getent passwd "$user" | cut -d: -f6)" PATH=/usr/bin:/bin podman system reset -f >/dev/null 2>&1) || true
  done
fi
echo "slurm: stopped${1:+ ($1)}"
