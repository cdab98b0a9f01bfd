#!/bin/sh
# Build step shared by Dockerfile and Dockerfile.cuda: checks the lockfile against the
# sha256 that goes into the image label, creates the `analyst` user, installs the
# environment from the lockfile and proves the result matches it.
#
# Works on the public bases (python:3.12-slim, nvidia/cuda + venv) and on the offline
# test base (Debian's python3 + python3-notebook), where the lockfile was generated from
# the base itself, so `pip install --no-index` finds everything already satisfied.
set -eu

lock=/opt/benchtop/environment.lock
log() { printf 'install-env: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# 1. The label dev.benchtop.lockfile.sha256 must describe the lockfile the image holds.
[ -n "${LOCKFILE_SHA256:-}" ] ||
  die "build arg LOCKFILE_SHA256 is empty; build with images/publish.sh (or pass --build-arg LOCKFILE_SHA256=\$(sha256sum < environment.lock | cut -c1-64))"
actual="$(sha256sum "$lock" | cut -c1-64)"
[ "$actual" = "$LOCKFILE_SHA256" ] ||
  die "environment.lock has sha256 $actual but LOCKFILE_SHA256 is $LOCKFILE_SHA256"

# 2. User analyst, uid/gid 1000. Some bases (Ubuntu 24.04) already have uid 1000: rename it.
existing="$(getent passwd 1000 | cut -d: -f1 || true)"
if [ -z "$existing" ]; then
  getent group 1000 >/dev/null || groupadd --gid 1000 analyst
  useradd --uid 1000 --gid 1000 --create-home --home-dir /home/analyst --shell /bin/bash analyst
elif [ "$existing" != analyst ]; then
  usermod --login analyst --home /home/analyst --move-home --shell /bin/bash "$existing"
fi
group="$(getent group 1000 | cut -d: -f1)"
[ "$group" = analyst ] || groupmod --new-name analyst "$group"
# Sessions run as the host user's uid, not 1000: home and work dir must be writable for any uid.
mkdir -p /home/analyst/work
chown 1000:1000 /home/analyst /home/analyst/work
chmod 1777 /home/analyst /home/analyst/work

# 3. tini reaps kernels' orphans as PID 1. The test base has it; public bases get it from apt.
if ! command -v tini >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || die "tini is missing and there is no apt-get to install it"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tini
  rm -rf /var/lib/apt/lists/*
fi

# 4. The environment, exactly as locked (--no-deps: a lockfile lists every distribution).
python3 -m pip --version >/dev/null 2>&1 || die "the base image has no pip (python3 -m pip)"
if python3 -m pip install --no-index --no-deps --requirement "$lock" >/tmp/pip-offline.log 2>&1; then
  log "every locked distribution was already installed"
else
  log "installing the locked distributions from the package index"
  python3 -m pip install --no-cache-dir --no-deps --requirement "$lock"
fi
rm -f /tmp/pip-offline.log
python3 /opt/benchtop/verify-lock.py "$lock"
rm -rf /root/.cache

# 5. The session server benchtop-jupyter will start must be there.
for app in jupyter-lab jupyter-server jupyter-notebook; do
  if command -v "$app" >/dev/null 2>&1; then
    log "session server: $app ($("$app" --version 2>/dev/null | tail -n1))"
    exit 0
  fi
done
die "the environment has no jupyter-lab, jupyter-server or jupyter-notebook command"
