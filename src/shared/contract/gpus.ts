import type { GpuBoard, GpuClaimResult, GpuLease, GpuNotice, HostPolicy } from './hosts';

/** Shared GPUs: the board, claims outside sessions, extending and releasing leases, the queue, the host policy. */
export interface GpusInvoke {
  /** Hosts → GPUs: every card with its holder, the queue and the policy. */
  gpuBoard: (req: { target: string }) => GpuBoard;
  /** Cards for the caller outside a session (`wait`: join the queue when none are free). */
  gpuClaim: (req: { target: string; count?: number; ids?: string[]; hours?: number; wait?: boolean }) => GpuClaimResult;
  /** Extends the caller's lease on a session (NOT_OWNER for someone else's). */
  gpuExtend: (req: { target: string; sessionId: string; hours?: number }) => GpuLease[];
  /** Frees the caller's lease (a reservation, or a session's cards); NOT_OWNER for someone else's. */
  gpuRelease: (req: { target: string; sessionId: string }) => { freed: string[] };
  /** Leaves the queue. */
  gpuQueueCancel: (req: { target: string; sessionId: string }) => { cancelled: true };
  hostPolicyGet: (req: { hostId: string }) => HostPolicy;
  /** Sets the host's policy (the fields given; the rest keep their value). */
  hostPolicySet: (req: { hostId: string; policy: Partial<Omit<HostPolicy, 'setBy' | 'setAt'>> }) => HostPolicy;
}

export interface GpusEvents {
  /** A notice from a host's agent about this install's sessions or leases (each shown once). */
  gpuNotice: GpuNotice;
}
