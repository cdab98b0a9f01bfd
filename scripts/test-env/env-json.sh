# shellcheck shell=bash
# .test-env/env.json: what the tests read (through test/support/env.ts).

write_env_json() {
  local versions='{}' version open auth latest lock="$TEST_ENV_DIR/environment.lock" size
  latest="${IMAGE_VERSIONS[${#IMAGE_VERSIONS[@]} - 1]}"
  for version in "${IMAGE_VERSIONS[@]}"; do
    open="$(registry_digest "$OPEN_REGISTRY" "$version")"
    auth="$(registry_digest "$AUTH_REGISTRY" "$version" "$AUTH_USER:$AUTH_PASSWORD")"
    [[ -n "$open" ]] || die "$OPEN_REGISTRY has no $IMAGE_REPO:$version"
    [[ "$open" == "$auth" ]] || die "$IMAGE_REPO:$version has digest $open on $OPEN_REGISTRY but '$auth' on $AUTH_REGISTRY"
    versions="$(jq -c --arg v "$version" --arg d "$open" '. + {($v): {digest: $d}}' <<<"$versions")"
  done
  size="$(docker image inspect --format '{{.Size}}' "$OPEN_REGISTRY/$IMAGE_REPO:$latest")"
  # The Slurm cluster's description (scripts/test-env/slurm.sh), or null without one.
  local slurm=null
  [[ ! -s "$TEST_ENV_DIR/slurm.json" ]] || slurm="$(jq -c . "$TEST_ENV_DIR/slurm.json")"
  jq -n \
    --arg dockerHost "$DOCKER_HOST" \
    --arg registry "$OPEN_REGISTRY" \
    --arg authAddress "$AUTH_REGISTRY" --arg username "$AUTH_USER" --arg password "$AUTH_PASSWORD" \
    --arg repository "$IMAGE_REPO" --argjson versions "$versions" --arg latest "$latest" \
    --arg lockfilePath "$lock" --arg lockfileSha256 "$(sha256_of "$lock")" \
    --argjson imageSizeBytes "$size" --arg baseImage "$BASE_IMAGE" --argjson slurm "$slurm" \
    '{dockerHost: $dockerHost, registry: $registry,
      authRegistry: {address: $authAddress, username: $username, password: $password},
      image: {repository: $repository, versions: $versions, latest: $latest,
              lockfilePath: $lockfilePath, lockfileSha256: $lockfileSha256,
              imageSizeBytes: $imageSizeBytes},
      baseImage: $baseImage, slurm: $slurm}' | write_if_changed "$TEST_ENV_DIR/env.json" || true
}
