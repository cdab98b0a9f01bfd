import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { SettingsStore } from '../settings/store';

/**
 * Who a session, lease or volume belongs to: a stable per-install id (made once, kept in settings)
 * plus the user name shown to teammates. Identity is recorded, never re-derived from a hostname,
 * a project name or a folder: two laptops with the same user name and path are still two owners,
 * and a renamed computer is still the same one.
 */
export interface Owner {
  /** Random, made on first use and kept in settings (`installId`); never shown as a name. */
  id: string;
  /** What teammates see ("ana"); from settings (`userName`) or the OS account. */
  name: string;
}

/** Engine labels carrying the owner on every container and volume Benchtop creates. Never rename. */
export const OWNER_LABEL = {
  id: 'dev.benchtop.owner',
  name: 'dev.benchtop.owner-name',
} as const;

export function ownerLabels(owner: Owner): Record<string, string> {
  return { [OWNER_LABEL.id]: owner.id, [OWNER_LABEL.name]: owner.name };
}

/** The owner recorded on an engine object, or undefined when it carries none (made before owners). */
export function ownerFromLabels(labels: Record<string, string> | null | undefined): Owner | undefined {
  const id = labels?.[OWNER_LABEL.id];
  if (!id) return undefined;
  return { id, name: labels?.[OWNER_LABEL.name] || 'unknown' };
}

/** True when the engine object's labels name this owner. Objects without an owner belong to no one. */
export function isOwnedBy(labels: Record<string, string> | null | undefined, owner: Owner): boolean {
  return labels?.[OWNER_LABEL.id] === owner.id;
}

function osUserName(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    // No passwd entry (some containers): the name is only shown, never used as identity.
    return 'unknown';
  }
}

/**
 * This install's owner: the id is made and stored on first use (settings are per install, so two
 * settings homes are two owners, as two laptops are); the shown name is the settings' `userName` or
 * the OS account name.
 */
export function installOwner(settings: SettingsStore, env: NodeJS.ProcessEnv = process.env): Owner {
  let id = settings.get('installId');
  if (!id) {
    id = randomUUID();
    settings.set('installId', id);
  }
  const name = settings.get('userName') || env.BENCHTOP_USER_NAME || osUserName();
  return { id, name };
}
