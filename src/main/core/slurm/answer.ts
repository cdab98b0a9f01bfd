import { BenchtopError } from '../errors';

/** The error for an answer from the cluster that Benchtop cannot read (a changed version, a broken tool). */
export function badAnswer(what: string, why: string, sample: string): BenchtopError {
  const shown = sample.trim().slice(0, 200).replace(/\s+/g, ' ');
  return new BenchtopError('SLURM_BAD_ANSWER', `The cluster's answer to ${what} could not be read: ${why}${shown ? ` (it began: "${shown}")` : ''}.`,
    `Run \`${what}\` on the login node to see what it prints; Benchtop reads Slurm 22.05 and later (squeue --json OpenAPI v0.0.38+).`);
}

/** Parses JSON from a Slurm tool, or throws SLURM_BAD_ANSWER naming the command. */
export function parseJson(what: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badAnswer(what, `it is not JSON (${(error as Error).message})`, text);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw badAnswer(what, 'it is not a JSON object', text);
  return value as Record<string, unknown>;
}

/**
 * A number Slurm wrote: a plain number (OpenAPI v0.0.38, Slurm 22.05) or `{set, infinite, number}`
 * (v0.0.39 and later). Unset or infinite → undefined.
 */
export function slurmNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (value && typeof value === 'object') {
    const v = value as { set?: boolean; infinite?: boolean; number?: unknown };
    if (v.infinite || v.set === false) return undefined;
    return typeof v.number === 'number' ? v.number : undefined;
  }
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/** A string field, or its first element when Slurm gives a list (job_state in v0.0.39+). */
export function slurmString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return '';
}
