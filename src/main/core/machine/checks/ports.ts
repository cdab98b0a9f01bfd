import { createServer } from 'node:net';
import type { MachineCheck } from '../types';

/** Enough to show whether the range is usable without binding thousands of sockets. */
const MAX_TRIED = 256;

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Sessions publish Jupyter on 127.0.0.1 in the `sessionPorts` range; something else may hold them. */
export const portsCheck: MachineCheck = {
  id: 'ports',
  title: 'Session ports',
  async run(ctx) {
    const { first, last } = ctx.sessionPorts;
    const tried = Math.min(last - first + 1, MAX_TRIED);
    const ports = Array.from({ length: tried }, (_, i) => first + i);
    const free = (await Promise.all(ports.map(async (p) => ((await canBind(p)) ? p : null)))).filter((p): p is number => p !== null);
    const range = `127.0.0.1:${first}–${last}`;
    const value = `${free.length} of ${tried}${tried < last - first + 1 ? ' tried' : ''} ports free on ${range}${free.length ? ` (first ${free[0]})` : ''}`;
    const requirement = 'a free port in the sessionPorts setting';
    if (!free.length) {
      return { status: 'fail', value, requirement, code: 'PORT_IN_USE',
        hint: 'Stop what holds these ports (`ss -ltnp`) or set another range in Settings (sessionPorts).' };
    }
    if (free.length < Math.min(3, tried)) {
      return { status: 'warn', value, requirement, hint: 'Few ports are left for sessions; widen the sessionPorts range in Settings.' };
    }
    return { status: 'pass', value, requirement };
  },
};
