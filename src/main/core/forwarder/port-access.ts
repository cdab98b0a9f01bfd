import { LOCAL } from '../engine/service';
import type { PortAccess } from '../session/adapters';
import type { ForwarderClient } from './client';

/** Sessions' ports through the per-user forwarder: local ones as they are, host ones through it. */
export function forwarderPortAccess(client: ForwarderClient): PortAccess {
  return {
    localPort: (target, remotePort) => (target === LOCAL ? Promise.resolve(remotePort) : client.forward(target, remotePort)),
  };
}
