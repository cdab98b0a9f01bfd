# shellcheck shell=bash
# The offline base of the test analysis image: Debian bookworm (debootstrap --variant=minbase
# from this machine's apt mirror) with python3, pip and Debian's Jupyter (python3-notebook),
# imported as $BASE_IMAGE. The rootfs tarball is cached under $CACHE_DIR, keyed by the recipe,
# so a rerun skips debootstrap even when Docker's data was wiped.

readonly DEBIAN_SUITE="bookworm"
readonly BASE_PACKAGES=(python3 python3-pip python3-notebook jupyter-notebook ca-certificates tini)
ROOTFS_TMP=""

# apt_uri_for_suite SUITE: the first deb URI this machine's apt sources use for SUITE.
apt_uri_for_suite() {
  local suite="$1" f line key value types uris suites type rest uri s
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] || continue
    types="" uris="" suites=""
    while IFS= read -r line || [[ -n "$line" ]]; do
      if [[ -z "${line//[[:space:]]/}" ]]; then
        if [[ " $types " == *" deb "* && " $suites " == *" $suite "* && -n "$uris" ]]; then
          echo "${uris%% *}"
          return
        fi
        types="" uris="" suites=""
        continue
      fi
      [[ "$line" == \#* || "$line" != *:* ]] && continue
      key="${line%%:*}"
      read -r value <<<"${line#*:}"
      case "${key,,}" in
        types) types="$value" ;; uris) uris="$value" ;; suites) suites="$value" ;;
      esac
    done <"$f"
    if [[ " $types " == *" deb "* && " $suites " == *" $suite "* && -n "$uris" ]]; then
      echo "${uris%% *}"
      return
    fi
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] || continue
    while read -r type rest; do
      [[ "$type" == deb ]] || continue
      [[ "$rest" != \[* ]] || rest="${rest#*] }"
      read -r uri s _ <<<"$rest"
      if [[ "$s" == "$suite" ]]; then
        echo "$uri"
        return
      fi
    done <"$f"
  done
  return 1
}

debian_mirror() {
  echo "${BENCHTOP_DEBIAN_MIRROR:-$(apt_uri_for_suite "$DEBIAN_SUITE" || echo http://deb.debian.org/debian)}"
}
debian_security_mirror() { apt_uri_for_suite "$DEBIAN_SUITE-security" || true; }

# The cache key: everything that decides the rootfs content, including this recipe's code.
rootfs_key() {
  { echo "$DEBIAN_SUITE" "${BASE_PACKAGES[*]}" "$(debian_mirror)" "$(debian_security_mirror)"
    declare -f build_rootfs; } | sha256sum | cut -c1-16
}

cleanup_rootfs() {
  [[ -n "$ROOTFS_TMP" && -d "$ROOTFS_TMP" ]] || return 0
  umount "$ROOTFS_TMP/proc" 2>/dev/null || true
  if mountpoint -q "$ROOTFS_TMP/proc"; then
    say "warning: could not unmount $ROOTFS_TMP/proc; leaving $ROOTFS_TMP in place"
  else
    rm -rf --one-file-system "$ROOTFS_TMP"
  fi
  ROOTFS_TMP=""
}

build_rootfs() { # OUT_TAR
  local out="$1" mirror security r
  mirror="$(debian_mirror)"
  security="$(debian_security_mirror)"
  need_root "building the base image (debootstrap, chroot)"
  command -v debootstrap >/dev/null || die "debootstrap not found (package debootstrap)"
  ROOTFS_TMP="$(mktemp -d /var/tmp/benchtop-rootfs.XXXXXX)"
  r="$ROOTFS_TMP"
  say "base image: debootstrap --variant=minbase $DEBIAN_SUITE from $mirror (a few minutes)"
  run_logged debootstrap debootstrap --variant=minbase --include=ca-certificates \
    "$DEBIAN_SUITE" "$r" "$mirror"

  {
    echo "deb $mirror $DEBIAN_SUITE main"
    echo "deb $mirror $DEBIAN_SUITE-updates main"
    [[ -z "$security" ]] || echo "deb $security $DEBIAN_SUITE-security main"
  } >"$r/etc/apt/sources.list"
  # Slim: no docs, no services started inside the chroot.
  printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
    'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' >"$r/etc/dpkg/dpkg.cfg.d/01-benchtop-slim"
  printf '#!/bin/sh\nexit 101\n' >"$r/usr/sbin/policy-rc.d"
  chmod 0755 "$r/usr/sbin/policy-rc.d"
  cp /etc/resolv.conf "$r/etc/resolv.conf"
  mount -t proc proc "$r/proc"

  say "base image: installing ${BASE_PACKAGES[*]}"
  run_logged chroot-apt-update chroot "$r" apt-get update
  run_logged chroot-apt-install chroot "$r" apt-get install -y --no-install-recommends "${BASE_PACKAGES[@]}"
  chroot "$r" apt-get clean
  umount "$r/proc"

  rm -rf "$r"/var/lib/apt/lists/* "$r"/var/cache/apt/*.bin "$r"/var/log/*.log "$r"/var/log/apt/* \
    "$r"/usr/share/man/* "$r"/usr/share/info/* "$r/usr/sbin/policy-rc.d" "$r"/tmp/* "$r"/root/.cache
  find "$r/usr/share/doc" -mindepth 2 ! -name copyright ! -type d -delete
  : >"$r/etc/resolv.conf"
  echo benchtop >"$r/etc/hostname"

  mkdir -p "$(dirname "$out")"
  tar --numeric-owner --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
    -C "$r" -cf "$out.partial" .
  mv -f "$out.partial" "$out"
  cleanup_rootfs
}

# The rootfs key the base image was imported from: a re-import of the same tarball has another
# image id but identical layers, so builds on it need not be redone.
base_image_key() {
  docker image inspect --format '{{index .Config.Labels "dev.benchtop.test.rootfs"}}' "$BASE_IMAGE" 2>/dev/null || true
}

ensure_base_image() {
  local key tar current
  key="$(rootfs_key)"
  current="$(base_image_key)"
  if [[ "$current" == "$key" ]]; then
    say "base image: $BASE_IMAGE present"
    return
  fi
  tar="$CACHE_DIR/debian-python-$DEBIAN_SUITE-$key.tar"
  if [[ -f "$tar" ]]; then
    say "base image: using cached rootfs $tar"
  else
    build_rootfs "$tar"
    # Older recipes' tarballs are dead weight.
    find "$CACHE_DIR" -maxdepth 1 -name "debian-python-$DEBIAN_SUITE-*.tar" ! -name "${tar##*/}" -delete
  fi
  say "base image: importing $BASE_IMAGE"
  run_logged docker-import docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change "LABEL dev.benchtop.test.rootfs=$key" \
    --change 'CMD ["/bin/bash"]' \
    --message "debootstrap --variant=minbase $DEBIAN_SUITE + ${BASE_PACKAGES[*]}" \
    "$tar" "$BASE_IMAGE"
}

# The test lockfile: exactly what the base's pip sees, sorted case-insensitively by name.
ensure_test_lockfile() {
  local lock="$TEST_ENV_DIR/environment.lock" state="$TEST_ENV_DIR/state/lockfile.base" base_id freeze
  base_id="$(base_image_key)"
  if [[ -f "$lock" && -f "$state" && "$(cat "$state")" == "$base_id" ]]; then
    say "lockfile: $lock up to date"
    return
  fi
  freeze="$(docker run --rm --network none --entrypoint python3 -e PIP_DISABLE_PIP_VERSION_CHECK=1 \
    "$BASE_IMAGE" -m pip list --format=freeze </dev/null)" || die "could not run pip list in $BASE_IMAGE"
  if grep -vqE '^[A-Za-z0-9][A-Za-z0-9._-]*==[^[:space:]]+$' <<<"$freeze"; then
    die "pip list in $BASE_IMAGE printed lines that are not name==version: $(grep -vE '==' <<<"$freeze" | head -3)"
  fi
  mkdir -p "$TEST_ENV_DIR/state"
  if {
    echo "# Benchtop test environment lockfile, generated by scripts/test-env.sh from"
    echo "# $BASE_IMAGE: python3 -m pip list --format=freeze, sorted case-insensitively."
    awk -F'==' '{ print tolower($1) "\t" $0 }' <<<"$freeze" | LC_ALL=C sort -t $'\t' -k1,1 | cut -f2-
  } | write_if_changed "$lock"; then
    say "lockfile: wrote $lock ($(grep -c '==' "$lock") distributions)"
  else
    say "lockfile: $lock unchanged"
  fi
  echo "$base_id" >"$state"
}
