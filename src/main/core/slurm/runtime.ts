import { BenchtopError } from '../errors';

/**
 * How a job runs the session's container on a compute node. Each runtime gives the job script the
 * same small set of bash functions, so the script itself never names a runtime:
 *   bt_image_present IMAGE   exit 0 when the image is in the node's store
 *   bt_pull IMAGE            pull it (by digest; with the login Benchtop handed the job in $BT_AUTH_DIR/config.json, if any)
 *   bt_start                 start the container detached from the BT_* variables (see job-script.ts)
 *   bt_running               exit 0 while the container runs
 *   bt_exec CMD…             run a command inside it (the idle check)
 *   bt_remove                remove it, whatever state it is in
 * enroot/pyxis and apptainer fit the same seam (`enroot start`/`apptainer instance start`): add a
 * ContainerRuntime here and a name in RUNTIMES.
 */
export interface ContainerRuntime {
  name: string;
  /** Bash that defines the bt_* functions. */
  functions: string;
}

/** Shared by podman and docker: both take the same run options. */
function ociFunctions(cli: string, userArgs: string): string {
  return `
bt_image_present() { ${cli} image inspect "$1" >/dev/null 2>&1; }
bt_pull() { ${cli === 'docker' ? 'docker ${BT_AUTH_DIR:+--config "$BT_AUTH_DIR"} pull "$1"' : 'podman pull ${BT_AUTH_DIR:+--authfile "$BT_AUTH_DIR/config.json"} "$1"'}; }
bt_start() {
  ${cli} run -d --init --name "$BT_NAME" \\
    --label dev.benchtop.slurm.job="$SLURM_JOB_ID" --label dev.benchtop.session="$BT_SESSION" \\
    --label dev.benchtop.owner="$BT_OWNER" --label dev.benchtop.gpus="$BT_GPUS" \\
    ${userArgs} \\
    -p "$BT_BIND:$BT_PORT:8888" \\
    -e JUPYTER_TOKEN -e JUPYTER_PORT=8888 -e TINI_SUBREAPER=1 -e BENCHTOP_GPUS="$BT_GPUS" \\
    -e NVIDIA_VISIBLE_DEVICES="\${BT_GPUS:-void}" -e CUDA_VISIBLE_DEVICES="\${CUDA_VISIBLE_DEVICES:-}" \\
    "\${BT_DEVICES[@]}" \\
    -v "$BT_NOTEBOOKS:$BT_WORKSPACE" \\
    "$BT_IMAGE" "\${BT_JUPYTER_ARGS[@]}"
}
bt_running() { [ "$(${cli} inspect -f '{{.State.Running}}' "$BT_NAME" 2>/dev/null)" = true ]; }
bt_exec() { ${cli} exec "$BT_NAME" "$@"; }
bt_remove() { ${cli} rm -f "$BT_NAME" >/dev/null 2>&1 || true; }
`;
}

/** podman (rootless): the container user is the job's user (keep-id), so notebooks stay theirs. */
export const podmanRuntime: ContainerRuntime = { name: 'podman', functions: ociFunctions('podman', '--userns=keep-id --user "$(id -u):$(id -g)"') };

/** docker (a node engine the job's user may use): run as the job's user for the same reason. */
export const dockerRuntime: ContainerRuntime = { name: 'docker', functions: ociFunctions('docker', '--user "$(id -u):$(id -g)"') };

export const RUNTIMES: Record<string, ContainerRuntime> = { podman: podmanRuntime, docker: dockerRuntime };

export function runtimeNamed(name = 'podman'): ContainerRuntime {
  const runtime = RUNTIMES[name];
  if (!runtime) {
    throw new BenchtopError('NOT_IMPLEMENTED', `The container runtime "${name}" is not supported on Slurm clusters yet.`,
      `Use ${Object.keys(RUNTIMES).join(' or ')} (set it with \`benchtop host add slurm://… --runtime NAME\`); enroot/pyxis and apptainer are planned.`);
  }
  return runtime;
}
