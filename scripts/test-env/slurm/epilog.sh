#!/bin/bash
# Slurm Epilog of the test cluster (runs as root on the node when a job ends, also after scancel and
# time limits): removes the job user's containers labelled dev.benchtop.slurm.job=<job id> from the
# user's rootless podman store. podman's conmon outlives the job's processes, so without this a
# cancelled job's detached container keeps running. (It runs before the job's GPUs are free again:
# keep it quick.)
# Never fails the job's end: problems are logged to the node's log folder.
label="dev.benchtop.slurm.job=${SLURM_JOB_ID:?}"
user="${SLURM_JOB_USER:?}"
log="@STATE@/log/epilog.log"
home="$(getent passwd "$user" | cut -d: -f6)"
as_user() {
  (cd / && runuser -u "$user" -- env -i HOME="$home" USER="$user" LOGNAME="$user" \
    PATH=/usr/local/bin:/usr/bin:/bin "$@")
}
ids="$(as_user podman --log-level=error ps -aq --filter "label=$label" 2>>"$log")"
if [[ -n "$ids" ]]; then
  # shellcheck disable=SC2086 # one id per word
  as_user podman --log-level=error rm -f -t 2 $ids >>"$log" 2>&1 || echo "$(date -Is) job $SLURM_JOB_ID: podman rm failed" >>"$log"
fi
exit 0
