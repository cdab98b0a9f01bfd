/** Slurm clusters as the UI and the CLI see them (the core's slurm/ reads them from the cluster). */

/** One partition as `sinfo` reports it. */
export interface SlurmPartition {
  name: string;
  /** `up`, `down`, `drain`, `inact`. */
  available: string;
  /** `1-00:00:00`, `4:00:00` or `infinite`, as Slurm writes it. */
  timeLimit: string;
  nodes: number;
  gpus: number;
  /** GPU types named in the GRES (`tesla`, `a100`); empty for untyped `gpu:N`. */
  gpuTypes: string[];
  isDefault: boolean;
}

/** The user's limits from `sacctmgr show assoc` and `show qos`. */
export interface SlurmLimits {
  accounts: string[];
  qos: string[];
  /** The smallest GPU-per-user cap among the user's QOS (MaxTRESPerUser gres/gpu), if any. */
  maxGpusPerUser?: number;
  /** An association's GrpTRES gres/gpu cap, if any. */
  groupGpuLimit?: number;
  /** Per-QOS details, for the machine check's report. */
  qosDetails: { name: string; maxGpusPerUser?: number; maxWall?: string }[];
}

/** What a cluster check reports (the machine check of a Slurm target). */
export interface SlurmClusterInfo {
  partitions: SlurmPartition[];
  limits: SlurmLimits;
  /** GPUs over all partitions' nodes (a node in two partitions counts once per partition). */
  gpus: number;
}

/** A cluster's settings chosen when it is added (or in the team file). */
export interface SlurmHostOptions {
  partition?: string;
  account?: string;
  qos?: string;
  /** Folder on the cluster's shared file system for notebooks and job state (default ~/benchtop). */
  sharedDir?: string;
  /** Container runtime on the nodes: podman (default) or docker. */
  runtime?: string;
  /** The device file of GPU `{index}` on node `{node}` (default /dev/nvidia{index}). */
  gpuDevicePattern?: string;
  /** slurmrestd as the login node sees it (default http://127.0.0.1:6820, reached through SSH; `off`: CLI only). */
  restUrl?: string;
}
