import { parseJsoncTree } from '../project/jsonc';
import { Reader } from '../project/reader';
import { parseDuration } from './duration';

/** What a project may say about running on a Slurm cluster (`customizations.benchtop.slurm`). */
export interface ProjectSlurmOptions {
  partition?: string;
  account?: string;
  qos?: string;
  gpus?: number;
  /** The session's --time, in minutes. */
  timeMinutes?: number;
}

/**
 * Reads `customizations.benchtop.slurm` of a devcontainer.json: `{ "partition": "gpu", "account":
 * "team", "qos": "gpu-user", "gpus": 1, "time": "4h" }`. A wrong value is DEVCONTAINER_INVALID naming
 * the key. These beat the cluster's settings (from `host add`); `up --gpus/--time` beat these.
 */
export function projectSlurmOptions(text: string, file: string): ProjectSlurmOptions {
  const r = new Reader(text, file, parseJsoncTree(text, file));
  const base = ['customizations', 'benchtop', 'slurm'];
  if (r.value(base) === undefined || !r.object(base)) return {};
  const out: ProjectSlurmOptions = {};
  for (const key of ['partition', 'account', 'qos'] as const) {
    const value = r.string([...base, key]);
    if (value !== undefined) {
      if (!/^[A-Za-z0-9_.-]+$/.test(value)) r.fail([...base, key], `is not a Slurm name: ${JSON.stringify(value)}`, 'Use the name as `sinfo` / `sacctmgr show qos` print it.');
      out[key] = value;
    }
  }
  const gpus = r.integer([...base, 'gpus'], 0, 64, 'GPUs');
  if (gpus !== undefined) out.gpus = gpus;
  const time = r.string([...base, 'time']);
  if (time !== undefined) {
    try {
      out.timeMinutes = parseDuration(time);
    } catch {
      r.fail([...base, 'time'], `is not a duration: ${JSON.stringify(time)}`, 'Write it as 4h, 90m, 1h30m or 1-00:00:00.');
    }
  }
  return out;
}
