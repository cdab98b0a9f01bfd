import { createServer } from 'node:net';
import type Docker from 'dockerode';
import { BenchtopError } from '../errors';
import { LOCAL } from '../engine/service';

/** True when nothing on this computer listens on 127.0.0.1:port (we can bind it ourselves). */
export function loopbackPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export interface PortChoice {
  target: string;
  /** The project's own `customizations.benchtop.jupyter.port`, which must be that port or nothing. */
  wanted?: number;
  range: { first: number; last: number };
}

/** What the container's port binding asks the engine for. */
export interface HostPortRequest {
  /** `HostPort` of the binding: the project's port, or the range `first-last` the engine picks from. */
  binding: string;
  /** The project's fixed port, known before the start; otherwise the engine's choice is read back. */
  fixed?: number;
}

/**
 * The host port Jupyter is published on is chosen by the engine itself, from the sessionPorts range,
 * when the container starts: the engine hands out ports one at a time, so sessions started at the
 * same moment (on this computer, or by several users on one host) never pick the same one, as they
 * did when Benchtop tested a port and the engine bound it later. A port the project asks for is
 * that port or PORT_IN_USE (tested first on `local`, where anything may hold it).
 */
export async function hostPortRequest(choice: PortChoice): Promise<HostPortRequest> {
  if (choice.wanted) {
    if (choice.target !== LOCAL || (await loopbackPortFree(choice.wanted))) return { binding: String(choice.wanted), fixed: choice.wanted };
    throw portInUse(choice.wanted, 'the project asks for this port (customizations.benchtop.jupyter.port)');
  }
  return { binding: `${choice.range.first}-${choice.range.last}` };
}

/** Every port of the range is taken, as the engine says when it has none left to give. */
export function portRangeFull(range: { first: number; last: number }, why: string): BenchtopError {
  return new BenchtopError('PORT_IN_USE',
    `No port from ${range.first} to ${range.last} on 127.0.0.1 could be given to the session; ${why}.`,
    'Stop sessions you no longer need (`benchtop ps`, `benchtop stop`), or widen sessionPorts in Settings.');
}

/** The port on the target's 127.0.0.1 the engine published Jupyter on (running containers only). */
export function publishedPort(inspect: Pick<Docker.ContainerInspectInfo, 'NetworkSettings'>, containerPort: number): number | undefined {
  const bindings = inspect.NetworkSettings?.Ports?.[`${containerPort}/tcp`] ?? [];
  const port = Number(bindings.find((b) => b.HostIp === '127.0.0.1')?.HostPort ?? bindings[0]?.HostPort);
  return port > 0 ? port : undefined;
}

export function portInUse(port: number, why: string): BenchtopError {
  return new BenchtopError('PORT_IN_USE', `Port ${port} on 127.0.0.1 is already in use; ${why}.`,
    `Stop whatever listens there (\`ss -ltnp 'sport = :${port}'\` shows it) or remove jupyter.port from the project so Benchtop picks a free one.`);
}

/** The engine's words when a published port cannot be bound. */
export const PORT_BIND_ERROR = /port is already allocated|address already in use|bind.*failed/i;

/** The engine's words when no port of a range is left. */
export const PORT_RANGE_FULL = /all ports are allocated|no available ports|ports? .*range.* (?:full|exhausted)/i;
