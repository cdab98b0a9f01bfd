export type { SlurmClusterInfo, SlurmHostOptions, SlurmLimits, SlurmPartition } from '../../../shared/contract/slurm';

/** One job as `squeue --json` describes it, reduced to what Benchtop shows and acts on. */
export interface SlurmJob {
  id: string;
  name: string;
  user: string;
  account?: string;
  partition: string;
  qos?: string;
  /** PENDING, RUNNING, COMPLETING, … (the first state when Slurm gives several). */
  state: string;
  /** Slurm's reason code (`Resources`, `QOSMaxGRESPerUser`, …); `None` while nothing holds it. */
  reason: string;
  /** Node list (`node1`, `node[1-2]`); empty while pending. */
  nodes: string;
  /** GPU indexes on the node(s), from `gres_detail` (`gpu:2(IDX:0-1)`). */
  gpuIds: string[];
  /** GPUs asked for (from the TRES request), also while pending. */
  gpusRequested: number;
  /** Minutes; undefined when unlimited or not given. */
  timeLimitMinutes?: number;
  /** Epoch seconds; 0 or undefined when unknown. */
  submitTime?: number;
  startTime?: number;
  endTime?: number;
  priority?: number;
  comment: string;
}
