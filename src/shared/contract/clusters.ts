/**
 * Sessions on Slurm clusters as the app sees them: each one is a batch job (core/slurm). Slurm, not
 * Benchtop, queues it, allocates its GPUs and ends it at its --time; the app shows the queue's
 * answer (a pending job's reason in words and its place in line), cancels, opens and extends.
 * The cluster's partitions, GPUs and the user's limits come with the host (`HostInfo.cluster`).
 */
import type { SyncResult } from './hosts';
import type { SessionOwner } from './sessions';
import type { SlurmClusterInfo } from './slurm';

/** One Benchtop session on a cluster: one job, as the queue has it now. */
export interface ClusterSession {
  /** `<job id>@<cluster host id>`. */
  id: string;
  target: string;
  jobId: string;
  projectName: string;
  /** Slurm's own state: PENDING, RUNNING, COMPLETING, COMPLETED, CANCELLED, TIMEOUT, FAILED… */
  jobState: string;
  /** Benchtop's reading of it: `ready` once its Jupyter answered through the login node. */
  state: 'pending' | 'starting' | 'ready' | 'ended' | 'failed';
  /** Pending: why, in words ("waiting for GPUs", "over your GPU quota (QOS)"), and Slurm's code. */
  reason?: string;
  reasonCode?: string;
  /** Pending: place in the partition's line (1 = next). */
  position?: number;
  partition: string;
  nodes: string;
  /** The job's GPU indexes on its node, once it runs. */
  gpus: string[];
  /** `node:index`, unique over the cluster. */
  cards: string[];
  gpusRequested: number;
  /** ISO: when it started, and when its --time ends it. */
  startedAt?: string;
  endsAt?: string;
  owner?: SessionOwner;
  mine: boolean;
  /** Jupyter on this computer's 127.0.0.1 (only for your own ready session). */
  url?: string;
  hostPort?: number;
  /** Where the notebooks are on the cluster's shared file system. */
  notebooksDir?: string;
  message?: string;
}

/** One GPU job of a cluster (everyone's, from `squeue --json`): yours with controls, others read-only. */
export interface ClusterGpuJob {
  jobId: string;
  user: string;
  name: string;
  state: string;
  /** Pending: the reason in words with Slurm's code and the place in line. */
  reason?: string;
  partition: string;
  nodes: string;
  gpus: string[];
  gpusRequested: number;
  startedAt?: string;
  endsAt?: string;
  /** One of Benchtop's sessions (its comment carries the mark). */
  session: boolean;
  mine: boolean;
}

export interface ClusterUpRequest {
  opId: string;
  /** The project folder. */
  dir: string;
  /** The cluster's host id. */
  target: string;
  gpus?: number;
  /** The session's expiry (Slurm's --time), in minutes. */
  timeMinutes?: number;
}

export interface ClustersInvoke {
  /** The ids of this install's Slurm clusters, from its settings (nothing is contacted). */
  clusterList: (req: void) => string[];
  /** Partitions, GPUs per partition and the user's account/QOS limits (sinfo, sacctmgr). */
  clusterCheck: (req: { hostId: string }) => SlurmClusterInfo;
  /**
   * Submits the project's session as a job and answers at once (pending or starting); the app then
   * follows it with `clusterSessionState` events until its notebook answers or it ends.
   */
  clusterSessionUp: (req: ClusterUpRequest) => ClusterSession;
  /** Every Benchtop session on every cluster (or one); your running ones are probed for a ready notebook. */
  clusterSessionList: (req: { target?: string }) => ClusterSession[];
  /** Opens your running session's notebook in the app (through an SSH forward via the login node). */
  clusterSessionOpen: (req: { id: string }) => ClusterSession;
  /** Cancels your session's job (scancel), pending or running. */
  clusterSessionCancel: (req: { id: string }) => ClusterSession;
  /** Asks Slurm for a new time limit (scontrol update); SLURM_SUBMIT_REFUSED where the cluster's policy says no. */
  clusterSessionExtend: (req: { id: string; timeMinutes: number }) => ClusterSession;
  clusterGpuJobs: (req: { target: string }) => ClusterGpuJob[];
  /**
   * Syncs the project's notebooks with its folder on the cluster now (progress as `syncProgress`
   * under `opId`). `confirmDeletes`: the user agreed to the deletions a SYNC_MASS_DELETE listed.
   */
  clusterSessionSync: (req: { opId: string; dir: string; target: string; confirmDeletes?: boolean }) => SyncResult;
  /** The effective default target (Settings, else the team file) when it is a Slurm cluster, else null: Start submits a job there. */
  clusterDefaultTarget: (req: { dir: string }) => string | null;
}

export interface ClustersEvents {
  /** A followed session changed: pending → starting → ready, or it ended. */
  clusterSessionState: ClusterSession;
}
