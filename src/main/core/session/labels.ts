import { ownerFromLabels, ownerLabels, type Owner } from '../identity/owner';

/**
 * The container labels that make a session recoverable from the engine alone: after an app restart
 * (or on another computer pointing at the same GPU host) these, plus the container's state and env,
 * are everything Benchtop knows about a session. Names are part of the on-disk contract: never rename.
 */
export const LABEL = {
  session: 'dev.benchtop.session',
  project: 'dev.benchtop.project',
  projectName: 'dev.benchtop.project-name',
  user: 'dev.benchtop.user',
  digest: 'dev.benchtop.digest',
  image: 'dev.benchtop.image',
  version: 'dev.benchtop.version',
  appVersion: 'dev.benchtop.app-version',
  target: 'dev.benchtop.target',
  gpus: 'dev.benchtop.gpus',
  idleMinutes: 'dev.benchtop.idle-minutes',
  port: 'dev.benchtop.port',
} as const;

/** Engine filter selecting every Benchtop session container. */
export const SESSION_FILTER = `${LABEL.session}=1`;

export interface SessionLabels {
  projectDir: string;
  projectName: string;
  user: string;
  image: string;
  digest: string;
  version?: string;
  appVersion: string;
  target: string;
  gpus: string[];
  idleMinutes: number;
  port: number;
  /** Who started it (OWNER_LABEL); absent on sessions made before owners were recorded. */
  owner?: Owner;
}

export function toLabels(s: SessionLabels): Record<string, string> {
  return {
    [LABEL.session]: '1',
    [LABEL.project]: s.projectDir,
    [LABEL.projectName]: s.projectName,
    [LABEL.user]: s.user,
    [LABEL.image]: s.image,
    [LABEL.digest]: s.digest,
    [LABEL.version]: s.version ?? '',
    [LABEL.appVersion]: s.appVersion,
    [LABEL.target]: s.target,
    [LABEL.gpus]: s.gpus.join(','),
    [LABEL.idleMinutes]: String(s.idleMinutes),
    [LABEL.port]: String(s.port),
    ...(s.owner ? ownerLabels(s.owner) : {}),
  };
}

export function fromLabels(labels: Record<string, string> | null | undefined): SessionLabels | undefined {
  if (!labels || labels[LABEL.session] !== '1') return undefined;
  const idle = Number(labels[LABEL.idleMinutes]);
  return {
    projectDir: labels[LABEL.project] ?? '',
    projectName: labels[LABEL.projectName] ?? '',
    user: labels[LABEL.user] ?? '',
    image: labels[LABEL.image] ?? '',
    digest: labels[LABEL.digest] ?? '',
    version: labels[LABEL.version] || undefined,
    appVersion: labels[LABEL.appVersion] ?? '',
    target: labels[LABEL.target] ?? 'local',
    gpus: (labels[LABEL.gpus] ?? '').split(',').filter(Boolean),
    idleMinutes: Number.isFinite(idle) ? idle : 0,
    port: Number(labels[LABEL.port]) || 0,
    ...(ownerFromLabels(labels) ? { owner: ownerFromLabels(labels) } : {}),
  };
}
