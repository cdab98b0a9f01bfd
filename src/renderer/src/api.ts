import { decodeError, type ErrorInfo } from '../../shared/errors';
import type { BenchtopApi } from '../../shared/ipc';

declare global {
  interface Window {
    benchtop: BenchtopApi;
  }
}

/** The preload's object; the only way the UI reaches the app. */
export const api: BenchtopApi = window.benchtop;

/** The code, message and hint of anything a call threw. */
export const errorInfo = (error: unknown): ErrorInfo => decodeError(error);
