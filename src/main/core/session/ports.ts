import { createServer } from 'node:net';
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
  /** Ports other sessions on the target already publish (from their labels). */
  taken: Set<number>;
}

/**
 * Picks the host port Jupyter is published on. On `local` each candidate is also test-bound, since
 * anything (another Jupyter, a dev server) may hold it; on a remote target the engine itself says
 * so at start, which the caller maps to PORT_IN_USE as well.
 */
export async function choosePort(choice: PortChoice): Promise<number> {
  const usable = async (port: number) => !choice.taken.has(port) && (choice.target !== LOCAL || (await loopbackPortFree(port)));
  if (choice.wanted) {
    if (await usable(choice.wanted)) return choice.wanted;
    throw portInUse(choice.wanted, 'the project asks for this port (customizations.benchtop.jupyter.port)');
  }
  for (let port = choice.range.first; port <= choice.range.last; port += 1) {
    if (await usable(port)) return port;
  }
  throw new BenchtopError('PORT_IN_USE',
    `Every port from ${choice.range.first} to ${choice.range.last} on 127.0.0.1 is in use.`,
    'Stop sessions you no longer need (`benchtop ps`, `benchtop stop`), or widen sessionPorts in Settings.');
}

export function portInUse(port: number, why: string): BenchtopError {
  return new BenchtopError('PORT_IN_USE', `Port ${port} on 127.0.0.1 is already in use; ${why}.`,
    `Stop whatever listens there (\`ss -ltnp 'sport = :${port}'\` shows it) or remove jupyter.port from the project so Benchtop picks a free one.`);
}

/** The engine's words when a published port cannot be bound. */
export const PORT_BIND_ERROR = /port is already allocated|address already in use|bind.*failed/i;
