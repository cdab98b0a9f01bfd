import { BenchtopError } from '../errors';
import type { ExecOutput } from '../ssh/connection';

const CONTROLLER_DOWN = /Unable to contact slurm controller|Socket timed out on send\/recv|Connection refused|slurm_load_(jobs|partitions|node)|Zero Bytes were transmitted or received/i;
const DBD_DOWN = /Problem talking to the database|Connection refused.*slurmdbd|slurmdbd/i;

/**
 * The coded error for a Slurm command that failed on the login node: the tools missing, the
 * controller (or the accounting daemon) not answering, or anything else with Slurm's own words.
 */
export function commandFailure(cluster: string, command: string, out: ExecOutput): BenchtopError {
  const said = (out.stderr || out.stdout).trim().split('\n').slice(-3).join(' ').slice(0, 400);
  const tool = command.trim().split(/\s+/)[0];
  if (out.exitCode === 127 || /command not found|No such file or directory/.test(said) && !said.includes('slurm')) {
    return new BenchtopError('SLURM_UNREACHABLE', `${cluster}'s login node has no \`${tool}\` (${said || `exit ${out.exitCode}`}).`,
      'Check that this is the cluster\'s login node and that the Slurm client tools are on the login shell\'s PATH.');
  }
  if (CONTROLLER_DOWN.test(said)) {
    return new BenchtopError('SLURM_UNREACHABLE', `${cluster}'s Slurm controller did not answer \`${tool}\`: ${said}`,
      'slurmctld may be down or restarting; try again in a minute, or ask the cluster\'s admins (`scontrol ping` on the login node shows it).');
  }
  if (tool === 'sacctmgr' && DBD_DOWN.test(said)) {
    return new BenchtopError('SLURM_UNREACHABLE', `${cluster}'s Slurm accounting (slurmdbd) did not answer: ${said}`, 'Limits cannot be read while slurmdbd is down; sessions still start.');
  }
  return new BenchtopError('SLURM_BAD_ANSWER', `\`${tool}\` failed on ${cluster} (exit ${out.exitCode ?? 'signal'}): ${said || 'no output'}`,
    `Run \`${command}\` on the login node to see why.`);
}

/** Why sbatch refused a job, with a hint for the usual reasons. */
export function submitRefused(cluster: string, out: ExecOutput): BenchtopError {
  const said = (out.stderr || out.stdout).trim().split('\n').filter((l) => /error/i.test(l)).join(' ').slice(0, 400) || out.stderr.trim().slice(0, 400);
  if (CONTROLLER_DOWN.test(said)) return commandFailure(cluster, 'sbatch', out);
  let hint = 'Change the request (partition, account, QOS, GPUs, --time) and try again; `benchtop check DIR --target CLUSTER` compares it with the cluster\'s limits.';
  if (/time limit/i.test(said)) hint = 'Ask for less --time: the partition\'s or QOS\'s time limit is lower (see `benchtop host test CLUSTER`).';
  else if (/Invalid account|account.*partition|Invalid qos|association/i.test(said)) hint = 'Your account or QOS may not use this partition; set them with `benchtop host add slurm://… --account A --qos Q`, or ask the admins.';
  else if (/generic resource|gres|Requested node configuration is not available/i.test(said)) hint = 'No node in the partition has that many GPUs; ask for fewer with --gpus.';
  else if (/partition/i.test(said)) hint = 'Check the partition name (`sinfo` on the login node).';
  return new BenchtopError('SLURM_SUBMIT_REFUSED', `${cluster} refused the job: ${said || `sbatch exited ${out.exitCode}`}`, hint);
}
