# shellcheck shell=bash
# Debian packages the test environment needs; apt runs only when one is missing.

readonly TEST_ENV_PACKAGES=(
  docker.io docker-registry debootstrap chromium xvfb openssh-server openssh-client rsync
  iproute2 apache2-utils iptables procps curl jq ca-certificates
  # The Slurm test cluster (scripts/test-env/slurm.sh).
  slurm-wlm slurmctld slurmd slurm-client munge slurmdbd slurmrestd slurm-wlm-jwt-plugin mariadb-server
  podman slirp4netns uidmap fuse-overlayfs catatonit runc socat
)

ensure_packages() {
  local missing
  # One dpkg-query for all of them; not-installed packages print nothing or a non-"installed" status.
  missing="$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${TEST_ENV_PACKAGES[@]}" 2>/dev/null |
    awk -v want="${TEST_ENV_PACKAGES[*]}" '$2 == "installed" { ok[$1] = 1 }
      END { n = split(want, w, " "); for (i = 1; i <= n; i++) if (!ok[w[i]]) print w[i] }' || true)"
  if [[ -z "$missing" ]]; then
    say "packages: all present"
    return
  fi
  need_root "installing packages (${missing//$'\n'/ })"
  command -v apt-get >/dev/null || die "apt-get not found: this script supports Debian (bookworm) only"
  say "packages: installing ${missing//$'\n'/ }"
  run_logged apt-update apt-get update
  # shellcheck disable=SC2086 # one package per word
  run_logged apt-install apt-get install -y --no-install-recommends $missing
}
