import type Docker from 'dockerode';
import type { SessionInfo, SessionState } from '../../../shared/contract/sessions';
import type { ErrorCode } from '../../../shared/errors';
import { fromLabels } from './labels';
import { publishedPort } from './ports';
import { JUPYTER_PORT } from './spec';

/** What Benchtop itself knows about a session beyond the engine: why it stopped, whether Jupyter answered. */
export interface SessionNote {
  state?: SessionState;
  message?: string;
  code?: ErrorCode;
}

export interface DescribeExtras {
  /** Where the session was found (its label names the target as its owner's install calls it). */
  target: string;
  /** This install owns it (see ownership.ts): only then are its token and URL read. */
  mine: boolean;
  /** Jupyter answered `/api/status` with the token. */
  ready: boolean;
  /** The port on this computer that reaches Jupyter (differs from the label's on remote targets). */
  localPort?: number;
  note?: SessionNote;
  idleStopAt?: number;
}

/**
 * The session token, read back from the container's env (never stored anywhere else). Only for
 * this install's own sessions: a teammate's token is never read (callers check ownership first).
 */
export function tokenOf(inspect: Docker.ContainerInspectInfo): string | undefined {
  const line = (inspect.Config.Env ?? []).find((e) => e.startsWith('JUPYTER_TOKEN='));
  return line?.slice('JUPYTER_TOKEN='.length);
}

export function nameOf(inspect: Pick<Docker.ContainerInspectInfo, 'Name'>): string {
  return inspect.Name.replace(/^\//, '');
}

/** Exit codes a clean stop leaves: 0, or 143 when the server ended on the SIGTERM it was sent. */
const CLEAN_EXIT = new Set([0, 143]);

/** Turns the engine's view of a session container into what the user sees. */
export function describeSession(inspect: Docker.ContainerInspectInfo, extras: DescribeExtras): SessionInfo | undefined {
  const labels = fromLabels(inspect.Config.Labels);
  if (!labels) return undefined;
  const id = nameOf(inspect);
  const base: SessionInfo = {
    id,
    name: id,
    projectDir: labels.projectDir,
    projectName: labels.projectName,
    target: extras.target,
    image: labels.image,
    digest: labels.digest,
    version: labels.version,
    state: 'stopped',
    // Someone else's port is on their side of the host's loopback, reachable only with their token.
    // The engine's choice (ports.ts), read back; older sessions recorded theirs in a label.
    hostPort: extras.mine ? extras.localPort ?? publishedPort(inspect, JUPYTER_PORT) ?? (labels.port || undefined) : undefined,
    gpus: labels.gpus,
    idleMinutes: labels.idleMinutes,
    mine: extras.mine,
    ...(labels.owner ? { owner: labels.owner } : {}),
  };
  const s = inspect.State;
  const note = extras.note;
  if (s.Running && !s.Restarting && !extras.mine) {
    // A teammate's session: running is all we may know (asking Jupyter needs their token).
    return { ...base, state: 'ready', startedAt: s.StartedAt };
  }
  if (s.Running && !s.Restarting) {
    const token = tokenOf(inspect);
    const state: SessionState = note?.state === 'stopping' ? 'stopping' : extras.ready ? 'ready' : 'starting';
    return {
      ...base,
      state,
      startedAt: s.StartedAt,
      url: state === 'ready' && token ? `http://127.0.0.1:${base.hostPort}/?token=${token}` : undefined,
      idleStopAt: state === 'ready' && extras.idleStopAt ? new Date(extras.idleStopAt).toISOString() : undefined,
      message: note?.message,
    };
  }
  if (s.Status === 'created') return { ...base, state: note?.state === 'failed' ? 'failed' : 'stopped', message: note?.message, code: note?.code };
  if (s.OOMKilled) {
    return { ...base, state: 'failed', code: 'CONTAINER_OOM',
      message: `The session ran out of memory and was killed (limit ${memoryLimit(inspect)}). Notebooks are safe in ${labels.projectDir}; save often, or raise customizations.benchtop.limits.memory.` };
  }
  if (note?.state === 'stopped' || note?.state === 'failed') return { ...base, state: note.state, message: note.message, code: note.code };
  if (CLEAN_EXIT.has(s.ExitCode)) return { ...base, state: 'stopped', message: note?.message };
  const how = s.ExitCode === 137 ? 'was killed (SIGKILL, exit code 137)' : `exited with code ${s.ExitCode}`;
  return { ...base, state: 'failed', code: 'CONTAINER_EXITED',
    message: `Jupyter's container ${how} at ${s.FinishedAt}${s.Error ? `: ${s.Error}` : ''}. Notebooks are safe in ${labels.projectDir}; restart the session to continue.` };
}

/**
 * A process inside a running session was OOM-killed (the engine's `oom` event while the container
 * lives on): most often a notebook kernel, which Jupyter restarts empty.
 */
export function processOomMessage(inspect: Docker.ContainerInspectInfo, projectDir: string): string {
  return `A process in this session ran out of memory (limit ${memoryLimit(inspect)}) and was killed; `
    + `a kernel killed this way is restarted by Jupyter, so re-run its notebook's cells. Notebooks are safe${projectDir ? ` in ${projectDir}` : ''}; `
    + 'raise customizations.benchtop.limits.memory if it happens again.';
}

function memoryLimit(inspect: Docker.ContainerInspectInfo): string {
  const bytes = inspect.HostConfig.Memory;
  if (!bytes) return 'the machine’s memory';
  return bytes < 2 ** 30 ? `${Math.round(bytes / 2 ** 20)} MiB` : `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}
