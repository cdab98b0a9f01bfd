import type { ErrorCode } from '../errors';

export type SessionState = 'pulling' | 'starting' | 'ready' | 'stopping' | 'stopped' | 'failed';

/** Who a session belongs to: a stable per-install id plus the name teammates see. */
export interface SessionOwner {
  id: string;
  name: string;
}

export interface SessionInfo {
  id: string;
  /** Container name. */
  name: string;
  projectDir: string;
  projectName: string;
  /** `local` or a host id. */
  target: string;
  image: string;
  digest: string;
  version?: string;
  state: SessionState;
  /** The Jupyter URL on this computer (127.0.0.1), with its token; only while ready. */
  url?: string;
  hostPort?: number;
  startedAt?: string;
  gpus: string[];
  /** When the idle rule will stop it, if nothing happens before. */
  idleStopAt?: string;
  idleMinutes: number;
  /** Why it is in this state (failed, stopped for idleness, killed…). */
  message?: string;
  /** The error code behind a failed state (CONTAINER_OOM, CONTAINER_EXITED, ENGINE_UNREACHABLE…). */
  code?: ErrorCode;
  /**
   * Remote sessions: the background sync of the notebooks has been failing since `since` (ISO) and
   * is retried every `retryEveryMs`; absent while syncs succeed (cleared by the next success).
   */
  syncError?: SessionSyncError;
  /** Who started it; absent on sessions made before Benchtop recorded owners (see `mine`). */
  owner?: SessionOwner;
  /**
   * This install started it, so it may open, stop, restart or remove it and see its URL. Someone
   * else's session is shown read-only: no URL, no token, no actions (they answer NOT_OWNER), and no
   * watcher of this install acts on it. A session without an owner (made before owners) counts as
   * mine on `local` (this computer's own engine) and as someone else's on a shared host.
   */
  mine: boolean;
  /** Since when it has been idle (ISO), where something on the target measures that (shown for others' sessions). */
  idleSince?: string;
}

export interface SessionSyncError {
  code: ErrorCode;
  message: string;
  /** When the first failure of this streak happened (ISO). */
  since: string;
  retryEveryMs: number;
}

export interface PullProgress {
  opId: string;
  ref: string;
  phase: 'resolving' | 'downloading' | 'extracting' | 'verifying' | 'done';
  bytesDone: number;
  bytesTotal: number;
  /** Bytes per second over the last few seconds. */
  rate: number;
  etaSeconds?: number;
  layersDone: number;
  layersTotal: number;
}

export interface SessionStats {
  id: string;
  at: string;
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  gpuPercent?: number;
}

export interface SessionsInvoke {
  /** Pulls, starts and waits for Jupyter; with `open`, also shows it (the onboarding's last step). */
  sessionUp: (req: { opId: string; dir: string; target?: string; open?: 'app' | 'browser' }) => SessionInfo;
  sessionList: (req: void) => SessionInfo[];
  sessionStop: (req: { id: string }) => SessionInfo;
  sessionRestart: (req: { opId: string; id: string }) => SessionInfo;
  sessionRemove: (req: { id: string }) => { removed: true };
  /** Sends `sessionLog` events for opId until cancelled (follow) or the end of the log. */
  sessionLogs: (req: { opId: string; id: string; follow: boolean; tail?: number }) => { lines: number };
  /** Opens the notebook in the app's own view or the default browser. */
  sessionOpen: (req: { id: string; where: 'app' | 'browser' }) => { url: string };
  /** Sends `sessionStats` events for opId until cancelled. */
  sessionWatchStats: (req: { opId: string; id: string }) => { started: true };
  imagePull: (req: { opId: string; ref: string }) => { digest: string; skipped: boolean };
  operationCancel: (req: { opId: string }) => { cancelled: boolean };
}

export interface SessionsEvents {
  pullProgress: PullProgress;
  /** Any session changed state (from the engine's events stream). */
  sessionState: SessionInfo;
  sessionLog: { opId: string; lines: string[] };
  sessionStats: SessionStats & { opId: string };
  /** A long operation moved to its next step (for onboarding's step list). */
  operationStep: import('./operations').OperationStep;
}
