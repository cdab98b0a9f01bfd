import type { HostAddRequest, HostsInvoke } from '../../../shared/contract/hosts';
import type { Core } from '../core';
import { syncSession, trashListFor, trashRestoreFor } from '../sync/session-sync';
import { BenchtopError } from '../errors';
import type { HandlersFor } from './types';

export function hostsHandlers(core: Core): HandlersFor<HostsInvoke> {
  return {
    hostList: () => core.hosts.list(),
    hostAdd: (req) => core.hosts.add(requireSpec(req)),
    hostTrust: ({ hostId, fingerprint }) => {
      if (!fingerprint) throw new BenchtopError('INVALID_ARGUMENT', 'Trusting a host needs the fingerprint the user accepted.', 'Pass the SHA256:… fingerprint shown when the host was added.');
      return core.hosts.trust(hostId, fingerprint);
    },
    hostTest: ({ hostId }) => core.hosts.test(hostId),
    hostRemove: ({ hostId }) => core.hosts.remove(hostId),
    sessionSync: ({ opId, sessionId, confirmDeletes }) => core.ops.run(opId, (op) => syncSession(core.sync, core.sessions, op, sessionId, confirmDeletes === true)),
    syncTrashList: ({ projectDir, target }) => trashListFor(core.sync, core.sessions, projectDir, target),
    syncTrashRestore: ({ projectDir, entry }) => trashRestoreFor(core.sync, core.sessions, projectDir, entry),
    sessionMove: ({ opId, sessionId, target }) => core.ops.run(opId, (op) => core.moves.move(op, sessionId, target)),
  };
}

function requireSpec(req: HostAddRequest | undefined): HostAddRequest {
  if (!req || typeof req.spec !== 'string') {
    throw new BenchtopError('INVALID_ARGUMENT', 'Adding a host needs its address.', 'Give user@host[:port], an ~/.ssh/config alias, tcp://host:2376 or context:<name>.');
  }
  return req;
}
