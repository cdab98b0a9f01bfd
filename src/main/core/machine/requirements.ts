import type { HostRequirements } from '../../../shared/contract/project';
import { parseSize } from '../project/sizes';

/**
 * A requirement read for checking: a usable number, absent, or written in a way that cannot be
 * checked (negative, "lots", 1.5 cores). An unreadable one becomes a warning naming the value, so a
 * typo in devcontainer.json never passes silently nor blocks the user.
 */
export type Requirement<T> = { kind: 'none' } | { kind: 'ok'; value: T; written: string } | { kind: 'invalid'; written: string };

export function cpuRequirement(req: HostRequirements): Requirement<number> {
  const raw: unknown = req.cpus;
  if (raw === undefined || raw === null) return { kind: 'none' };
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 1) return { kind: 'ok', value: raw, written: String(raw) };
  return { kind: 'invalid', written: JSON.stringify(raw) };
}

export function sizeRequirement(written: unknown, bytes: number | undefined): Requirement<number> {
  if (written === undefined || written === null) {
    return bytes !== undefined && bytes > 0 ? { kind: 'ok', value: bytes, written: String(bytes) } : { kind: 'none' };
  }
  const value = bytes ?? parseSize(written);
  if (value === undefined || value <= 0) return { kind: 'invalid', written: JSON.stringify(written) };
  return { kind: 'ok', value, written: String(written) };
}

/** `hostRequirements.gpu`: true (must have), 'optional' (better with), false or absent. */
export function gpuRequirement(req: HostRequirements): Requirement<'required' | 'optional' | 'no'> {
  const raw: unknown = req.gpu;
  if (raw === undefined || raw === null || raw === false) return { kind: 'none' };
  if (raw === true) return { kind: 'ok', value: 'required', written: 'true' };
  if (raw === 'optional') return { kind: 'ok', value: 'optional', written: '"optional"' };
  // The spec also allows an object ({ cores, memory }); any object asks for a GPU.
  if (typeof raw === 'object') return { kind: 'ok', value: 'required', written: JSON.stringify(raw) };
  return { kind: 'invalid', written: JSON.stringify(raw) };
}
