#!/usr/bin/env bash
# Build the team's analysis image and publish it to a registry.
#
#   images/publish.sh <version> [--registry HOST:PORT] [--repo team/analysis]
#                     [--flavor cpu|cuda] [--base IMAGE] [--lockfile FILE]
#                     [--cuda MAJOR.MINOR] [--label KEY=VALUE]... [--no-push]
#
# Builds images/analysis/Dockerfile (or Dockerfile.cuda) with --network host, tags
# <registry>/<repo>:<version>, pushes it, and prints the reference to pin,
# <registry>/<repo>@sha256:..., as the last line of stdout (all other output goes to
# stderr). With --no-push it prints the tag instead. Registry credentials come from
# `docker login`. The revision label is `git rev-parse HEAD` when available; the
# creation time honours SOURCE_DATE_EPOCH.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
say() { printf 'publish: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
usage() { sed -n '4,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

version="" registry="${BENCHTOP_REGISTRY:-127.0.0.1:5000}" repo="team/analysis" flavor=cpu
base="" lockfile="$here/analysis/environment.lock" cuda="" push=1 labels=()
while (($#)); do
  case "$1" in
    --registry) registry="${2:?--registry needs HOST:PORT}"; shift 2 ;;
    --repo) repo="${2:?--repo needs a name}"; shift 2 ;;
    --flavor) flavor="${2:?--flavor needs cpu or cuda}"; shift 2 ;;
    --base) base="${2:?--base needs an image}"; shift 2 ;;
    --lockfile) lockfile="${2:?--lockfile needs a file}"; shift 2 ;;
    --cuda) cuda="${2:?--cuda needs MAJOR.MINOR}"; shift 2 ;;
    --label) labels+=(--label "${2:?--label needs KEY=VALUE}"); shift 2 ;;
    --no-push) push=0; shift ;;
    -h | --help) usage ;;
    -*) die "unknown option $1" ;;
    *) [[ -z "$version" ]] || die "more than one version given ($version, $1)"; version="$1"; shift ;;
  esac
done

[[ -n "$version" ]] || usage
[[ "$version" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "'$version' is not a valid image tag"
[[ "$repo" =~ ^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$ ]] || die "'$repo' is not a valid repository name"
case "$flavor" in
  cpu) dockerfile=Dockerfile ;;
  cuda) dockerfile=Dockerfile.cuda ;;
  *) die "--flavor must be cpu or cuda, not '$flavor'" ;;
esac
[[ -f "$lockfile" ]] || die "lockfile $lockfile not found"

# The lockfile contract: name==version lines, comments, sorted case-insensitively.
bad="$(grep -nvE '^[[:space:]]*(#.*)?$|^[A-Za-z0-9][A-Za-z0-9._-]*==[^[:space:]]+[[:space:]]*$' "$lockfile" || true)"
[[ -z "$bad" ]] || die "$lockfile has lines that are not 'name==version':"$'\n'"$bad"
names="$(grep -E '^[A-Za-z0-9]' "$lockfile" | sed 's/==.*//' | tr '[:upper:]' '[:lower:]')"
[[ "$names" == "$(LC_ALL=C sort <<<"$names")" ]] || say "warning: $lockfile is not sorted case-insensitively by name"
lock_sha="$(sha256sum "$lockfile" | cut -c1-64)"

image="$registry/$repo:$version"
revision="$(git -C "$here" rev-parse --verify --quiet HEAD 2>/dev/null || echo unknown)"
if [[ "$revision" != unknown ]] && [[ -n "$(git -C "$here/.." status --porcelain -- images 2>/dev/null)" ]]; then
  say "warning: images/ has uncommitted changes; the revision label ($revision) will not describe them"
fi
created="$(date -u ${SOURCE_DATE_EPOCH:+-d "@$SOURCE_DATE_EPOCH"} +%Y-%m-%dT%H:%M:%SZ)"

build_args=(--build-arg "VERSION=$version" --build-arg "REVISION=$revision"
  --build-arg "CREATED=$created" --build-arg "TITLE=$repo" --build-arg "LOCKFILE_SHA256=$lock_sha")
[[ -z "$base" ]] || build_args+=(--build-arg "BASE=$base")
if [[ "$flavor" == cuda && -z "$cuda" ]]; then
  # dev.benchtop.cuda is the base's CUDA major.minor; read it from the base image itself.
  from="${base:-$(sed -n 's/^ARG BASE=//p' "$here/analysis/Dockerfile.cuda")}"
  docker image inspect "$from" >/dev/null 2>&1 || docker pull "$from" >&2
  cuda_full="$(docker image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$from" | sed -n 's/^CUDA_VERSION=//p')"
  [[ -n "$cuda_full" ]] || die "$from has no CUDA_VERSION; pass --cuda MAJOR.MINOR"
  cuda="$(cut -d. -f1-2 <<<"$cuda_full")"
fi
[[ -z "$cuda" ]] || build_args+=(--build-arg "CUDA=$cuda")

# A private build context: the Dockerfiles, their helpers and the chosen lockfile.
context="$(mktemp -d)"
trap 'rm -rf "$context"' EXIT
cp "$here/analysis/$dockerfile" "$here/analysis/install-env.sh" "$here/analysis/verify-lock.py" \
  "$here/analysis/benchtop-jupyter" "$context/"
cp "$lockfile" "$context/environment.lock"

say "building $image ($flavor${base:+, base $base}, lockfile sha256 $lock_sha)"
docker build --network host --file "$context/$dockerfile" --tag "$image" \
  "${build_args[@]}" "${labels[@]}" "$context" >&2

if ((!push)); then
  say "built $image (not pushed)"
  echo "$image"
  exit 0
fi
say "pushing $image"
docker push "$image" >&2
pin="$(docker image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$image" | grep -F "$registry/$repo@sha256:" | head -n1 || true)"
[[ -n "$pin" ]] || die "pushed $image but found no digest for $registry/$repo"
say "published $image; pin it as:"
echo "$pin"
