import { interpretNvidiaSmi, NVIDIA_SMI_ARGS, type CommandOutput, type NvidiaSmiOutcome } from './nvidia-smi';

const SECTION = '--- benchtop';

/**
 * One SSH command for the board: the inventory query every check uses, then each card's memory in
 * use, then the processes on the cards. Three nvidia-smi runs, one round trip.
 */
export const USAGE_COMMAND = [
  `nvidia-smi ${NVIDIA_SMI_ARGS.join(' ')}`,
  `echo '${SECTION}'`,
  'nvidia-smi --query-gpu=uuid,memory.used --format=csv,noheader,nounits',
  `echo '${SECTION}'`,
  'nvidia-smi --query-compute-apps=gpu_uuid,pid --format=csv,noheader,nounits',
].join('; ');

/** What a claim needs: the inventory and the processes (not memory), two nvidia-smi runs. */
export const CLAIM_USAGE_COMMAND = [
  `nvidia-smi ${NVIDIA_SMI_ARGS.join(' ')}`,
  `echo '${SECTION}'`,
  `echo '${SECTION}'`,
  'nvidia-smi --query-compute-apps=gpu_uuid,pid --format=csv,noheader,nounits',
].join('; ');

export interface GpuUsage {
  outcome: NvidiaSmiOutcome;
  memoryUsedMiB: Map<string, number>;
  /** Host pids using each card (by UUID). */
  processes: Map<string, number[]>;
}

export function parseUsage(output: CommandOutput): GpuUsage {
  const [inventory = '', memory = '', apps = ''] = output.stdout.split(`${SECTION}\n`);
  // The exit code is the last command's; the inventory's own failures show in its text.
  const outcome = interpretNvidiaSmi({ stdout: inventory, stderr: output.stderr, exitCode: inventory.trim() ? 0 : output.exitCode });
  const memoryUsedMiB = new Map<string, number>();
  for (const line of memory.split('\n')) {
    const [uuid, used] = line.split(',').map((f) => f.trim());
    if (uuid?.startsWith('GPU-') && Number.isFinite(Number(used)) && used !== '') memoryUsedMiB.set(uuid, Number(used));
  }
  const processes = new Map<string, number[]>();
  for (const line of apps.split('\n')) {
    const [uuid, pid] = line.split(',').map((f) => f.trim());
    if (uuid && /^\d+$/.test(pid ?? '')) processes.set(uuid, [...(processes.get(uuid) ?? []), Number(pid)]);
  }
  return { outcome, memoryUsedMiB, processes };
}
