# shellcheck shell=bash
# A Docker engine on the default socket: use the one that answers, else start dockerd.

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

ensure_dockerd() {
  if engine_answers; then
    say "docker: engine $(docker version --format '{{.Server.Version}}' 2>/dev/null) answers at $DOCKER_SOCKET"
    return
  fi
  need_root "starting dockerd"
  command -v dockerd >/dev/null || die "dockerd not found (package docker.io)"
  if pgrep -x dockerd >/dev/null; then
    say "docker: a dockerd is running but not answering at $DOCKER_SOCKET yet; waiting"
  else
    say "docker: starting dockerd (log: $DOCKERD_LOG)"
    # setsid + nohup: the daemon outlives this script; 9>&- keeps our run lock out of it. 9>&- keeps our lock out of it.
    setsid nohup dockerd --host "unix://$DOCKER_SOCKET" >>"$DOCKERD_LOG" 2>&1 </dev/null 9>&- &
  fi
  if ! wait_until 60 engine_answers; then
    tail -n 20 "$DOCKERD_LOG" 2>/dev/null | sed 's/^/    | /' >&2
    die "dockerd did not answer at $DOCKER_SOCKET within 60 s (log: $DOCKERD_LOG)"
  fi
  say "docker: engine $(docker version --format '{{.Server.Version}}') is up"
}
