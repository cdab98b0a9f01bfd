# shellcheck shell=bash
# The test analysis images: images/analysis/Dockerfile built on $BASE_IMAGE with the test
# lockfile, one image per version in $IMAGE_VERSIONS, pushed to both loopback registries.

# A label on each image records what it was built from, so a rerun rebuilds only when the
# Dockerfile, its helpers, publish.sh, the lockfile or the base changed.
image_inputs_hash() { # VERSION
  {
    echo "$1"
    base_image_key
    cat "$REPO_ROOT/images/publish.sh" "$REPO_ROOT"/images/analysis/{Dockerfile,install-env.sh,verify-lock.py,benchtop-jupyter} \
      "$TEST_ENV_DIR/environment.lock"
  } | sha256sum | cut -c1-64
}

ensure_analysis_image() { # VERSION
  local version="$1" ref="$OPEN_REGISTRY/$IMAGE_REPO:$1" want have old_id
  want="$(image_inputs_hash "$version")"
  have="$(docker image inspect --format '{{index .Config.Labels "dev.benchtop.test.inputs"}}' "$ref" 2>/dev/null || true)"
  if [[ "$have" == "$want" ]]; then
    say "image: $ref present"
    docker tag "$ref" "$AUTH_REGISTRY/$IMAGE_REPO:$version"
    return
  fi
  old_id="$(docker image inspect --format '{{.Id}}' "$ref" 2>/dev/null || true)"
  say "image: building $ref"
  run_logged "build-$version" "$REPO_ROOT/images/publish.sh" "$version" \
    --registry "$OPEN_REGISTRY" --repo "$IMAGE_REPO" --base "$BASE_IMAGE" \
    --lockfile "$TEST_ENV_DIR/environment.lock" --label "dev.benchtop.test.inputs=$want" --no-push
  docker tag "$ref" "$AUTH_REGISTRY/$IMAGE_REPO:$version"
  [[ -z "$old_id" ]] || remove_unused_image "$old_id"
}

# Drop a superseded build unless a container (running or not) still uses it. -f only because it
# is referenced from both registries' repositories.
remove_unused_image() { # ID
  [[ -z "$(docker ps -aq --filter "ancestor=$1")" ]] || return 0
  docker rmi -f "$1" >/dev/null 2>&1 || true
}

# docker push with a throwaway client config, so the test credentials never land in ~/.docker.
push_with_login() { # REF REGISTRY
  local config status=0
  config="$(mktemp -d)"
  DOCKER_CONFIG="$config" docker login --username "$AUTH_USER" --password-stdin "$2" <<<"$AUTH_PASSWORD" &&
    DOCKER_CONFIG="$config" docker push "$1" || status=$?
  rm -rf "$config"
  return "$status"
}

ensure_pushed() { # VERSION REGISTRY [USER:PASSWORD]
  local version="$1" registry="$2" creds="${3:-}" ref="$2/$IMAGE_REPO:$1" remote local_digests
  remote="$(registry_digest "$registry" "$version" "$creds")"
  local_digests="$(docker image inspect --format '{{join .RepoDigests " "}}' "$ref")"
  if [[ -n "$remote" && " $local_digests " == *" $registry/$IMAGE_REPO@$remote "* ]]; then
    say "push: $ref already in the registry"
    return
  fi
  say "push: $ref"
  if [[ -n "$creds" ]]; then
    run_logged "push-$version-${registry##*:}" push_with_login "$ref" "$registry"
  else
    run_logged "push-$version-${registry##*:}" docker push "$ref"
  fi
  [[ -n "$(registry_digest "$registry" "$version" "$creds")" ]] || die "pushed $ref but $registry does not list it"
}

ensure_analysis_images() {
  local version
  for version in "${IMAGE_VERSIONS[@]}"; do
    ensure_analysis_image "$version"
    ensure_pushed "$version" "$OPEN_REGISTRY"
    ensure_pushed "$version" "$AUTH_REGISTRY" "$AUTH_USER:$AUTH_PASSWORD"
  done
  ensure_stacks_image
}

# A jupyter/docker-stacks-layout image (images/docker-stacks-test) on the same base, in the open
# registry as $STACKS_REF: the "other Jupyter images" tests start sessions on it.
readonly STACKS_REPO="team/stacks-notebook"
readonly STACKS_REF="$OPEN_REGISTRY/$STACKS_REPO:test"

ensure_stacks_image() {
  local dir="$REPO_ROOT/images/docker-stacks-test" want have remote
  want="$({ base_image_key; cat "$dir"/Dockerfile "$dir"/start.sh "$dir"/start-notebook.py "$dir"/start-notebook.sh; } | sha256sum | cut -c1-64)"
  have="$(docker image inspect --format '{{index .Config.Labels "dev.benchtop.test.inputs"}}' "$STACKS_REF" 2>/dev/null || true)"
  if [[ "$have" == "$want" ]]; then
    say "image: $STACKS_REF present"
  else
    say "image: building $STACKS_REF"
    run_logged build-stacks docker build --network host --build-arg "BASE=$BASE_IMAGE" \
      --label "dev.benchtop.test.inputs=$want" --tag "$STACKS_REF" "$dir"
  fi
  remote="$(curl -s --max-time 10 --head -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$OPEN_REGISTRY/v2/$STACKS_REPO/manifests/test" |
    tr -d '\r' | awk 'tolower($1) == "docker-content-digest:" { print $2 }')"
  if [[ -n "$remote" && " $(docker image inspect --format '{{join .RepoDigests " "}}' "$STACKS_REF") " == *"@$remote "* ]]; then
    say "push: $STACKS_REF already in the registry"
    return
  fi
  say "push: $STACKS_REF"
  run_logged push-stacks docker push "$STACKS_REF"
}
