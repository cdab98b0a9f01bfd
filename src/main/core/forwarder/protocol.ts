import type { ErrorInfo } from '../../../shared/errors';

/** One notebook port the forwarder carries: 127.0.0.1:localPort here → 127.0.0.1:remotePort on the host. */
export interface ForwardInfo {
  target: string;
  remotePort: number;
  /** Where the host connects to (a Slurm job's compute node, as the login node reaches it); default its own 127.0.0.1. */
  remoteHost?: string;
  localPort: number;
  /** ISO time the forward was made. */
  since: string;
  /** Connections carried so far. */
  connections: number;
}

export interface ForwarderStatus {
  pid: number;
  forwards: ForwardInfo[];
}

export interface ForwardRequest {
  target: string;
  remotePort: number;
  remoteHost?: string;
}

/** Every answer is `{result}` or `{error}`, like the app's handlers. */
export type ForwarderAnswer<T> = { result: T } | { error: ErrorInfo };
