import type { Owner } from '../identity/owner';

/**
 * The labels on every VM and boot disk Benchtop creates. They are the only record: after a restart
 * the app lists the project's instances by `benchtop=vm` and reads everything else from them.
 * GCE label values allow only lower-case letters, digits, `_` and `-` (at most 63 characters).
 */
export const CLOUD_LABEL = {
  managed: 'benchtop',
  owner: 'benchtop-owner',
  ownerName: 'benchtop-owner-name',
  gpuType: 'benchtop-gpu',
  gpuCount: 'benchtop-gpu-count',
} as const;

export const MANAGED_VALUE = 'vm';
export const MANAGED_FILTER = `labels.${CLOUD_LABEL.managed}=${MANAGED_VALUE}`;

/** A string made fit for a GCE label value. */
export function labelValue(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'unknown';
}

export function cloudLabels(owner: Owner, gpuType: string, gpuCount: number): Record<string, string> {
  return {
    [CLOUD_LABEL.managed]: MANAGED_VALUE,
    [CLOUD_LABEL.owner]: labelValue(owner.id),
    [CLOUD_LABEL.ownerName]: labelValue(owner.name),
    [CLOUD_LABEL.gpuType]: labelValue(gpuType),
    [CLOUD_LABEL.gpuCount]: String(gpuCount),
  };
}

export function isMine(labels: Record<string, string> | null | undefined, owner: Owner): boolean {
  return labels?.[CLOUD_LABEL.owner] === labelValue(owner.id);
}
