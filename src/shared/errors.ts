/**
 * Stable error codes. Tests and scripts assert on these strings, so a code is never renamed;
 * add new ones instead. Every failure the user can see carries one code, a message and a fix hint.
 */
export const ERROR_CODES = [
  // generic
  'INTERNAL',
  'INVALID_ARGUMENT',
  'CANCELLED',
  'TIMEOUT',
  'NOT_FOUND',
  'NOT_IMPLEMENTED',
  'FORBIDDEN_SENDER',
  'UNKNOWN_CHANNEL',
  // settings and secrets
  'SETTINGS_CORRUPT',
  'SECRET_STORAGE_UNAVAILABLE',
  // engine
  'ENGINE_UNREACHABLE',
  'ENGINE_PERMISSION_DENIED',
  'ENGINE_TIMEOUT',
  'ENGINE_ERROR',
  'ENGINE_NO_GPU_RUNTIME',
  'DOCKER_CONTEXT_INVALID',
  // machine check
  'CHECK_FAILED',
  // project and devcontainer.json
  'PROJECT_NOT_FOUND',
  'DEVCONTAINER_MISSING',
  'DEVCONTAINER_INVALID',
  'DEVCONTAINER_EXISTS',
  'IMAGE_NOT_PINNED',
  'DEVCONTAINER_UNSUPPORTED',
  'DEVCONTAINER_COMMAND_FAILED',
  'TEAM_FILE_INVALID',
  // images, registry
  'IMAGE_REF_INVALID',
  'IMAGE_NOT_FOUND',
  'IMAGE_PLATFORM_MISSING',
  'REGISTRY_UNREACHABLE',
  'REGISTRY_AUTH_FAILED',
  'REGISTRY_ERROR',
  'TAG_NOT_FOUND',
  'TAG_MOVED',
  'DIGEST_MISMATCH',
  'CREDENTIAL_HELPER_FAILED',
  // lockfile
  'LOCKFILE_MISSING',
  'LOCKFILE_MISMATCH',
  'LOCKFILE_INVALID',
  // pull
  'PULL_FAILED',
  'DISK_FULL',
  // sessions and Jupyter
  'SESSION_NOT_FOUND',
  'SESSION_EXISTS',
  'SESSION_FAILED',
  'PORT_IN_USE',
  'JUPYTER_NOT_READY',
  'CONTAINER_OOM',
  'CONTAINER_EXITED',
  // hosts and SSH
  'HOST_INVALID',
  'HOST_UNREACHABLE',
  'HOST_AUTH_FAILED',
  'HOST_KEY_UNKNOWN',
  'HOST_KEY_CHANGED',
  'HOST_NOT_FOUND',
  'HOST_EXISTS',
  'HOST_INSECURE',
  // GPUs and leases
  'GPU_UNAVAILABLE',
  'GPU_BUSY',
  'GPU_REQUIRED',
  'NOT_OWNER',
  'LEASE_NOT_FOUND',
  'LEASE_EXPIRED',
  'QUOTA_EXCEEDED',
  'POLICY_INVALID',
  'JUPYTER_ARGS_REFUSED',
  // sync and move
  'SYNC_FAILED',
  'SYNC_CONFLICT',
  'SYNC_VOLUME_CHANGED',
  'SYNC_ROOT_MISSING',
  'SYNC_MASS_DELETE',
  'SYNC_PATH_UNSAFE',
  'SYNC_BUSY',
  'TRASH_NOT_FOUND',
  'MOVE_FAILED',
  // cloud
  'CLOUD_ERROR',
  'CLOUD_STOCKOUT',
  'CLOUD_AUTH_MISSING',
  'CLOUD_AUTH_FAILED',
  'CLOUD_NOT_CONFIGURED',
  'CLOUD_QUOTA_EXCEEDED',
  'CLOUD_NOT_FOUND',
  'CLOUD_VM_BUSY',
  'CLOUD_PERMISSION_DENIED',
  // Slurm clusters
  'SLURM_UNREACHABLE',
  'SLURM_BAD_ANSWER',
  'SLURM_SUBMIT_REFUSED',
  'SLURM_JOB_NOT_FOUND',
  'SLURM_JOB_FAILED',
  // benchtop:// links, cloning, editors, updates
  'LINK_INVALID',
  'LINK_PLAN_EXPIRED',
  'LINK_TARGET_NOT_EMPTY',
  'GIT_MISSING',
  'GIT_FAILED',
  'VSCODE_MISSING',
  'UPDATE_CHECK_FAILED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** What crosses every boundary (IPC, test bridge, CLI --json) when something fails. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  /** One line telling the user what to do about it. */
  hint: string;
}

/** Every handler answers with exactly one of these. */
export type Envelope<T> = { result: T } | { error: ErrorInfo };

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

const WIRE_PREFIX = 'BenchtopError:';

/**
 * Errors crossing Electron's contextBridge keep only their message, so the preload (and the test
 * bridge) encode the ErrorInfo into it and the renderer decodes it again.
 */
export function encodeErrorMessage(info: ErrorInfo): string {
  return WIRE_PREFIX + JSON.stringify(info);
}

export function decodeError(error: unknown): ErrorInfo {
  const message = error instanceof Error ? error.message : String(error);
  const at = message.indexOf(WIRE_PREFIX);
  if (at >= 0) {
    try {
      const parsed = JSON.parse(message.slice(at + WIRE_PREFIX.length)) as Partial<ErrorInfo>;
      if (isErrorCode(parsed.code) && typeof parsed.message === 'string') {
        return { code: parsed.code, message: parsed.message, hint: parsed.hint ?? '' };
      }
    } catch {
      // fall through to the generic answer
    }
  }
  return { code: 'INTERNAL', message, hint: 'This is a bug in Benchtop; please report it with the copied details.' };
}
