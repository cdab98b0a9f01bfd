import type { OptionSpecs } from '../args';

// The Slurm options of `host add`, `up` and `check`, apart from the Slurm commands' code (./slurm-cli):
// a command's option spec is read before it runs, and `check` without --target never loads the rest.

/** `host add slurm://…` options: where and how the cluster runs sessions. */
export const SLURM_HOST_OPTIONS: OptionSpecs = {
  partition: { type: 'string', value: 'NAME', help: 'add slurm://: the partition sessions run in (default: the cluster\'s)' },
  account: { type: 'string', value: 'NAME', help: 'add slurm://: the Slurm account charged' },
  qos: { type: 'string', value: 'NAME', help: 'add slurm://: the QOS asked for' },
  'shared-dir': { type: 'string', value: 'DIR', help: 'add slurm://: folder on the cluster\'s shared file system for notebooks (default ~/benchtop)' },
  runtime: { type: 'string', value: 'podman|docker', help: 'add slurm://: the nodes\' container runtime (default podman)' },
  'gpu-devices': { type: 'string', value: 'PATTERN', help: 'add slurm://: device file of GPU {index} on node {node} (default /dev/nvidia{index})' },
  'rest-url': { type: 'string', value: 'URL', help: 'add slurm://: slurmrestd as the login node sees it (default http://127.0.0.1:6820; off: command-line tools only)' },
};

/** `up --target CLUSTER` options. */
export const SLURM_UP_OPTIONS: OptionSpecs = {
  gpus: { type: 'string', value: 'N', help: 'on a Slurm cluster: GPUs for the session (default: 1 if the project needs a GPU, else 0)' },
  time: { type: 'string', value: 'DURATION', help: 'on a Slurm cluster: the session\'s expiry (4h, 90m, 1-00:00:00); default the partition\'s' },
  'no-wait': { type: 'boolean', help: 'on a Slurm cluster: return once the job is queued' },
};
