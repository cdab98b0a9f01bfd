import type { SessionOwner } from '../../../shared/contract/sessions';
import { LOCAL } from '../engine/service';
import { BenchtopError } from '../errors';
import { ownerFromLabels, type Owner } from '../identity/owner';

/**
 * Whether this install may act on a session, from the owner recorded on its container. A session
 * made before owners were recorded has none: on `local` it is this computer's own (its engine
 * serves this computer's user, who made it), so it stays usable after an upgrade; on a shared host
 * it could be anyone's, so it is read-only like any other teammate's session.
 */
export function isMine(labels: Record<string, string> | null | undefined, me: Owner, target: string): boolean {
  const owner = ownerFromLabels(labels);
  return owner ? owner.id === me.id : target === LOCAL;
}

/** The owner to show: the recorded one, or none for a session made before owners. */
export function ownerOf(labels: Record<string, string> | null | undefined): SessionOwner | undefined {
  return ownerFromLabels(labels);
}

/** NOT_OWNER for `verb`-ing someone else's session, naming whose it is. */
export function notOwner(id: string, owner: SessionOwner | undefined, verb: string): BenchtopError {
  const whose = owner ? `${owner.name}’s` : 'someone else’s (started before Benchtop recorded owners)';
  return new BenchtopError('NOT_OWNER', `Session ${id} is ${whose}; only its owner can ${verb} it.`,
    owner
      ? `Ask ${owner.name} to ${verb} it, or start your own session of the project (\`benchtop up DIR --target TARGET\`).`
      : 'Whoever started it can stop it with `docker stop` on that host; start your own session of the project meanwhile.');
}
