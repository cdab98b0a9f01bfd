import { BenchtopError } from '../errors';

/** One entry of an operation's `error.errors[]`, or of an HTTP error body's `errors[]`. */
export interface GceProblem {
  code: string;
  message: string;
}

/** Capacity problems that move a create to the next zone (they arrive at insert time, in the operation). */
export const STOCKOUT_CODES = new Set(['ZONE_RESOURCE_POOL_EXHAUSTED', 'ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS', 'UNSUPPORTED_OPERATION', 'RESOURCE_NOT_READY']);

export const isStockout = (problems: GceProblem[]): boolean => problems.some((p) => STOCKOUT_CODES.has(p.code));

/** `Quota 'GPUS_ALL_REGIONS' exceeded. Limit: 0.0 globally.` → GPUS_ALL_REGIONS */
export function quotaNamed(problems: GceProblem[]): string | undefined {
  const quota = problems.find((p) => p.code === 'QUOTA_EXCEEDED' || /quota/i.test(p.code));
  if (!quota) return undefined;
  return /Quota '([A-Z0-9_]+)'/.exec(quota.message)?.[1] ?? 'a quota';
}

/** What a thrown client error says: HTTP status and the body's `error.errors[]` (the client puts the body in `message`). */
export function problemsOfThrown(error: unknown): { status?: number; problems: GceProblem[]; message: string } {
  const e = error as { code?: unknown; status?: unknown; message?: string; response?: { status?: number } };
  const status = typeof e.code === 'number' ? e.code : typeof e.response?.status === 'number' ? e.response.status : undefined;
  const raw = typeof e.message === 'string' ? e.message : String(error);
  try {
    const body = JSON.parse(raw) as { error?: { message?: string; errors?: { reason?: string; message?: string }[] } };
    const problems = (body.error?.errors ?? []).map((p) => ({ code: reasonToCode(p.reason ?? ''), message: p.message ?? body.error?.message ?? '' }));
    return { status, problems, message: body.error?.message ?? raw };
  } catch {
    return { status, problems: [], message: raw };
  }
}

/** HTTP error reasons (camelCase) as the operation codes they correspond to. */
function reasonToCode(reason: string): string {
  const known: Record<string, string> = { quotaExceeded: 'QUOTA_EXCEEDED', notFound: 'NOT_FOUND', forbidden: 'FORBIDDEN', resourceNotReady: 'RESOURCE_NOT_READY', alreadyExists: 'ALREADY_EXISTS' };
  return known[reason] ?? reason.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

export const isNotFound = (error: unknown): boolean => problemsOfThrown(error).status === 404;

/**
 * The BenchtopError for a GCE failure (thrown, or read from a DONE operation). `what` says what was
 * being done ("creating benchtop-ana-x1 in europe-west4-a").
 */
export function cloudError(what: string, failure: unknown | GceProblem[]): BenchtopError {
  const { status, problems, message } = Array.isArray(failure)
    ? { status: undefined, problems: failure as GceProblem[], message: (failure as GceProblem[]).map((p) => p.message).join('; ') }
    : problemsOfThrown(failure);
  const codes = problems.map((p) => p.code).join(', ');
  const detail = `${message}${codes ? ` (${codes})` : ''}`;
  const quota = quotaNamed(problems);
  if (quota) {
    return new BenchtopError('CLOUD_QUOTA_EXCEEDED', `${what} failed: the project's ${quota} quota is used up. ${message}`,
      `Ask for more ${quota} quota in the Cloud console (IAM & Admin → Quotas), or choose fewer or other GPUs.`);
  }
  if (isStockout(problems)) {
    return new BenchtopError('CLOUD_STOCKOUT', `${what} failed: Google has no capacity for it there right now. ${detail}`, 'Try other zones, spot, or another GPU type; capacity changes within hours.');
  }
  if (status === 401) return new BenchtopError('CLOUD_AUTH_FAILED', `${what} failed: the credentials were refused. ${message}`, 'Log in again with `gcloud auth application-default login`.');
  if (status === 403) return new BenchtopError('CLOUD_PERMISSION_DENIED', `${what} failed: permission denied. ${message}`, 'Ask the project owner for the Compute Instance Admin role, or check the project id in Settings → Cloud.');
  if (status === 404) return new BenchtopError('CLOUD_NOT_FOUND', `${what} failed: not found. ${message}`, 'Refresh the list: the VM may have been deleted elsewhere.');
  return new BenchtopError('CLOUD_ERROR', `${what} failed: ${detail}`, 'Try again; if it keeps failing, check the operation in the Cloud console.', Array.isArray(failure) ? undefined : { cause: failure });
}
