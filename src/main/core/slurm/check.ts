import { toErrorInfo } from '../errors';
import { parseDuration } from './duration';
import type { SlurmClusterInfo } from './types';

export interface ClusterCheckItem {
  name: string;
  state: 'pass' | 'warn' | 'fail';
  detail: string;
  hint?: string;
}

/** What a session would ask the cluster for (the project's and the cluster's choices, and the command line). */
export interface ClusterRequest {
  partition?: string;
  gpus: number;
  timeMinutes?: number;
  image: string;
  pinned: boolean;
}

/** `4:00:00`, `1-00:00:00`, `30` (minutes) → minutes; `infinite`/`UNLIMITED` → undefined. */
function limitMinutes(limit: string): number | undefined {
  if (/^(infinite|unlimited)$/i.test(limit)) return undefined;
  try {
    return parseDuration(limit);
  } catch {
    return undefined;
  }
}

/**
 * The machine check of a cluster for one project: does the controller answer, is the partition
 * there and up, do the GPUs and --time asked for fit the partition and the user's quota, is the
 * image pinned. Each item says what to do when it fails.
 */
export function checkClusterRequest(cluster: SlurmClusterInfo | Error, req: ClusterRequest): ClusterCheckItem[] {
  if (cluster instanceof Error) {
    const e = toErrorInfo(cluster);
    return [{ name: 'Slurm controller', state: 'fail', detail: `${e.code}: ${e.message}`, hint: e.hint }];
  }
  const items: ClusterCheckItem[] = [{ name: 'Slurm controller', state: 'pass', detail: `answers (${cluster.partitions.length} partition${cluster.partitions.length === 1 ? '' : 's'}, ${cluster.gpus} GPUs)` }];
  const partition = req.partition ? cluster.partitions.find((p) => p.name === req.partition) : cluster.partitions.find((p) => p.isDefault) ?? cluster.partitions[0];
  if (!partition) {
    items.push({ name: 'Partition', state: 'fail', detail: `"${req.partition}" is not one of ${cluster.partitions.map((p) => p.name).join(', ') || 'none'}`, hint: 'Choose one with --partition when adding the cluster, or customizations.benchtop.slurm.partition.' });
    return items;
  }
  items.push(partition.available === 'up'
    ? { name: 'Partition', state: 'pass', detail: `${partition.name}: up, ${partition.nodes} nodes, ${partition.gpus} GPUs, time limit ${partition.timeLimit}` }
    : { name: 'Partition', state: 'fail', detail: `${partition.name} is ${partition.available}`, hint: 'Sessions wait until the admins bring it up; choose another partition meanwhile.' });
  const quota = cluster.limits.maxGpusPerUser ?? cluster.limits.groupGpuLimit;
  if (req.gpus > partition.gpus) {
    items.push({ name: 'GPUs', state: 'fail', detail: `${req.gpus} asked, the partition has ${partition.gpus}`, hint: 'Ask for fewer with --gpus.' });
  } else if (quota !== undefined && req.gpus > quota) {
    items.push({ name: 'GPUs', state: 'fail', detail: `${req.gpus} asked, your quota is ${quota} at a time`, hint: 'Ask for fewer with --gpus: Slurm would keep the job pending forever.' });
  } else {
    items.push({ name: 'GPUs', state: 'pass', detail: `${req.gpus} asked${quota !== undefined ? ` (your quota: ${quota} at a time)` : ''}` });
  }
  const max = limitMinutes(partition.timeLimit);
  if (req.timeMinutes !== undefined && max !== undefined && req.timeMinutes > max) {
    items.push({ name: 'Time', state: 'fail', detail: `${req.timeMinutes} min asked, the partition allows ${partition.timeLimit}`, hint: 'Ask for less with --time.' });
  } else {
    items.push({ name: 'Time', state: 'pass', detail: req.timeMinutes !== undefined ? `${req.timeMinutes} min` : `the partition's default (limit ${partition.timeLimit})` });
  }
  items.push(req.pinned
    ? { name: 'Image', state: 'pass', detail: `pinned: ${req.image}` }
    : { name: 'Image', state: 'warn', detail: `${req.image} is not pinned by digest: each node runs whatever that name means there`, hint: 'Pin it with `benchtop pin`.' });
  return items;
}
