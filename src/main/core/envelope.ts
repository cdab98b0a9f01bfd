import type { Envelope } from '../../shared/errors';
import { toErrorInfo } from './errors';

/** Runs one handler and wraps its outcome; the single place where thrown errors become envelopes. */
export async function toEnvelope<T>(run: () => Promise<T> | T): Promise<Envelope<T>> {
  try {
    return { result: await run() };
  } catch (error) {
    return { error: toErrorInfo(error) };
  }
}
