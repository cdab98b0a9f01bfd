# shellcheck shell=bash
# Two Debian docker-registry processes on loopback: open on :5000, htpasswd basic auth on :5001.
# Config, storage and htpasswd live under $STATE_DIR/registry-NAME; logs in /var/log.

registry_status() { # ADDRESS -> HTTP status of GET /v2/ ("000" when nothing answers)
  curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://$1/v2/" || true
}
registry_is() { [[ "$(registry_status "$1")" == "$2" ]]; } # ADDRESS STATUS

write_registry_config() { # NAME ADDRESS AUTH(0|1)
  local dir="$STATE_DIR/registry-$1" auth_block=""
  if (($3)); then
    auth_block="auth:
  htpasswd:
    realm: benchtop-test
    path: $dir/htpasswd"
  fi
  mkdir -p "$dir/data"
  write_if_changed "$dir/config.yml" <<YAML || true
# Written by scripts/test-env.sh; edits are overwritten.
version: 0.1
log:
  level: info
  formatter: text
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: $2
  secret: benchtop-test-$1
  headers:
    X-Content-Type-Options: [nosniff]
$auth_block
YAML
}

ensure_htpasswd() {
  local file="$STATE_DIR/registry-auth/htpasswd"
  if [[ -f "$file" ]] && htpasswd -vb "$file" "$AUTH_USER" "$AUTH_PASSWORD" >/dev/null 2>&1; then
    return 1 # unchanged
  fi
  say "registry: writing htpasswd for user $AUTH_USER"
  htpasswd -Bbn "$AUTH_USER" "$AUTH_PASSWORD" >"$file.tmp"
  mv -f "$file.tmp" "$file"
}

start_registry() { # NAME ADDRESS EXPECTED_STATUS
  local dir="$STATE_DIR/registry-$1" log="/var/log/benchtop-test-registry-$1.log"
  say "registry: starting $1 registry on $2 (log: $log)"
  setsid nohup docker-registry serve "$dir/config.yml" >>"$log" 2>&1 </dev/null 9>&- &
  echo $! >"$dir/pid"
  if ! wait_until 20 registry_is "$2" "$3"; then
    tail -n 20 "$log" | sed 's/^/    | /' >&2
    die "the $1 registry did not answer on $2 (log: $log)"
  fi
}

credentials_work() { # ADDRESS
  [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 --user "$AUTH_USER:$AUTH_PASSWORD" \
    "http://$1/v2/" || true)" == 200 ]]
}

ensure_registry() { # NAME ADDRESS AUTH(0|1)
  local name="$1" address="$2" auth="$3" expected status pidfile="$STATE_DIR/registry-$1/pid"
  expected=$( ((auth)) && echo 401 || echo 200)
  status="$(registry_status "$address")"
  if [[ "$status" == "$expected" ]] && { ! ((auth)) || credentials_work "$address"; }; then
    say "registry: $name registry answers on $address"
    return
  fi
  need_root "setting up the $name registry"
  command -v docker-registry >/dev/null || die "docker-registry not found (package docker-registry)"
  write_registry_config "$name" "$address" "$auth"
  if ((auth)); then ensure_htpasswd || true; fi
  if [[ "$status" != 000 ]]; then
    # Ours but with stale credentials: restart it. Anything else on the port: refuse.
    if [[ "$status" == "$expected" && -f "$pidfile" ]] && kill "$(cat "$pidfile")" 2>/dev/null; then
      say "registry: restarting the $name registry with the current credentials"
      wait_until 10 registry_is "$address" 000 || die "the $name registry on $address did not stop"
    else
      die "something that is not the $name test registry answers on $address (GET /v2/ gave HTTP $status)"
    fi
  fi
  start_registry "$name" "$address" "$expected"
}

ensure_registries() {
  mkdir -p "$STATE_DIR" 2>/dev/null || true
  ensure_registry open "$OPEN_REGISTRY" 0
  ensure_registry auth "$AUTH_REGISTRY" 1
}

# registry_digest ADDRESS TAG [USER:PASSWORD] -> manifest digest of $IMAGE_REPO:TAG, empty when absent.
registry_digest() {
  local auth=()
  [[ -z "${3:-}" ]] || auth=(--user "$3")
  curl -s --max-time 10 --head "${auth[@]}" \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://$1/v2/$IMAGE_REPO/manifests/$2" |
    tr -d '\r' | awk 'tolower($1) == "docker-content-digest:" { print $2 }'
}
