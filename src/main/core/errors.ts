import type { ErrorCode, ErrorInfo } from '../../shared/errors';

/** A failure the user can act on: a stable code, a message saying what happened, a hint saying what to do. */
export class BenchtopError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;

  constructor(code: ErrorCode, message: string, hint = '', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BenchtopError';
    this.code = code;
    this.hint = hint;
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message, hint: this.hint };
  }
}

/** Turns anything thrown into the ErrorInfo the user sees; unknown errors become INTERNAL. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof BenchtopError) return error.toInfo();
  if (isAbortError(error)) return { code: 'CANCELLED', message: 'The operation was cancelled.', hint: '' };
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: 'INTERNAL',
    message,
    hint: 'This is unexpected. Copy the details and report it to the Benchtop team.',
  };
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: string }).code === 'ABORT_ERR');
}

/** Node system error code (ENOENT, EACCES, ECONNREFUSED…) of an error, if it has one. */
export function systemCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
