#!/bin/bash
# Slurm Epilog of the test cluster (runs as root on the node when a job ends, also after scancel and
# time limits): removes the job user's containers labelled dev.benchtop.slurm.job=<job id>, with
# rootless podman (the user's store) and, when it answers, the host's Docker engine. podman's conmon
# outlives the job's processes, so without this a cancelled job's container keeps running.
# Never fails the job's end: problems are logged to the node's log folder.
label="dev.benchtop.slurm.job=${SLURM_JOB_ID:?}"
user="${SLURM_JOB_USER:?}"
log="@STATE@/log/epilog.log"
home="$(getent passwd "$user" | cut -d: -f6)"
as_user() {
  (cd / && runuser -u "$user" -- env -i HOME="$home" USER="$user" LOGNAME="$user" \
    PATH=/usr/local/bin:/usr/bin:/bin "$@")
}
ids="$(as_user podman ps -aq --filter "label=$label" 2>>"$log")"
if [[ -n "$ids" ]]; then
  # shellcheck disable=SC2086 # one id per word
  as_user podman rm -f -t 2 $ids >>"$log" 2>&1 || echo "$(date -Is) job $SLURM_JOB_ID: podman rm failed" >>"$log"
fi
if [[ -S /var/run/docker.sock ]]; then
  ids="$(docker ps -aq --filter "label=$label" 2>>"$log")"
  # shellcheck disable=SC2086
  [[ -z "$ids" ]] || docker rm -f $ids >>"$log" 2>&1 || echo "$(date -Is) job $SLURM_JOB_ID: docker rm failed" >>"$log"
fi
exit 0
