#!/bin/bash
# Stand-in for docker-stacks' start.sh (which also switches users when started as root): runs the
# command; a uid without a home it can write gets one under /tmp.
set -e
if [ ! -w "${HOME:-/nonexistent}" ]; then
  HOME="/tmp/home-$(id -u)"
  mkdir -p "$HOME"
  export HOME
fi
exec "$@"
