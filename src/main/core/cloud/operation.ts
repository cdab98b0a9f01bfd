import type { google } from '@google-cloud/compute/build/protos/protos';
import { BenchtopError } from '../errors';
import type { ComputeClients } from './client';
import { cloudError, type GceProblem } from './gce-errors';

type Operation = google.cloud.compute.v1.IOperation;

export interface OperationOutcome {
  operation: Operation;
  /** `error.errors[]` of the DONE operation: nothing throws when an operation fails. */
  problems: GceProblem[];
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new BenchtopError('CANCELLED', 'The operation was cancelled.'));
    }, { once: true });
  });

/**
 * Waits for a zone operation until its status is DONE. `wait` returns after at most about two
 * minutes, and may return earlier, with the operation still RUNNING: so it is called again until
 * DONE. A failed operation ends DONE with `error.errors[]`, which is returned, never thrown.
 */
export async function waitForOperation(clients: ComputeClients, project: string, zone: string, first: Operation, signal?: AbortSignal, timeoutMs = 30 * 60_000): Promise<OperationOutcome> {
  let operation = first;
  const name = String(first.name ?? '');
  const deadline = Date.now() + timeoutMs;
  while (operation.status !== 'DONE') {
    if (signal?.aborted) throw new BenchtopError('CANCELLED', 'The operation was cancelled.');
    if (Date.now() > deadline) {
      throw new BenchtopError('TIMEOUT', `GCE operation ${name} in ${zone} was not done after ${Math.round(timeoutMs / 60_000)} minutes.`, 'Look at the operation in the Cloud console; the VM list shows what came of it.');
    }
    const before = Date.now();
    try {
      [operation] = await clients.zoneOperations.wait({ project, zone, operation: name }, { timeout: 150_000 });
    } catch (error) {
      throw cloudError(`Waiting for GCE operation ${name} in ${zone}`, error);
    }
    // A wait that answered at once (early return) is not retried in a tight loop.
    if (operation.status !== 'DONE' && Date.now() - before < 500) await sleep(500, signal);
  }
  const problems = (operation.error?.errors ?? []).map((e) => ({ code: String(e.code ?? 'UNKNOWN'), message: String(e.message ?? '') }));
  return { operation, problems };
}
