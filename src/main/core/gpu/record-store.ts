import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import type { GpuLease } from '../../../shared/contract/hosts';
import type { EngineService } from '../engine/service';
import { BenchtopError } from '../errors';
import { extensionContainerName, leaseContainerName, leaseFromLabels, leaseLabels, SCOPE_LABEL, type LeaseRecordInput } from './lease-labels';
import { Limiter } from './limiter';
import { retryUnsent } from './retry';
import { queueContainerName, queueLabels, type QueueInput } from './queue-labels';

/** A busy shared engine can take seconds per write; the engine's mutex, not our patience, decides. */
const WRITE_TIMEOUT_MS = 30_000;

export const statusOf = (error: unknown): number | undefined =>
  (error as { cause?: { statusCode?: number } }).cause?.statusCode ?? (error as { statusCode?: number }).statusCode;

/**
 * Creates and removes the GPU books' records on one engine: leases, extensions and queue entries,
 * all containers created and never started (a name per card or per session is the engine's mutex).
 */
export class RecordStore {
  constructor(
    private readonly engines: EngineService,
    readonly target: string,
    private readonly scope: string | undefined,
    /** Shared by every store of one target in this process (see Limiter). */
    private readonly limiter: Limiter = new Limiter(4),
  ) {}

  #labels(labels: Record<string, string>): Record<string, string> {
    return this.scope ? { ...labels, [SCOPE_LABEL]: this.scope } : labels;
  }

  async #record(what: string, name: string, image: string, labels: Record<string, string>): Promise<string> {
    try {
      const container = await this.limiter.run(() => retryUnsent(() => this.engines.call(this.target, what, (d) => d.createContainer({
        name, Image: image, Cmd: ['true'], Labels: this.#labels(labels), NetworkDisabled: true, HostConfig: { NetworkMode: 'none' },
      } satisfies Docker.ContainerCreateOptions), WRITE_TIMEOUT_MS)));
      return container.id;
    } catch (error) {
      if (statusOf(error) === 404) {
        throw new BenchtopError('IMAGE_NOT_FOUND', `The session image ${image} is not on ${this.target}; GPU leases are made from it.`,
          'Pull the image on that target first (starting the session does).', { cause: error });
      }
      throw error;
    }
  }

  /** Creates the lease (answering its container id); on a name conflict answers the lease that holds the card. */
  async createLease(lease: LeaseRecordInput, image: string): Promise<string | GpuLease> {
    const name = leaseContainerName(lease.gpu);
    try {
      return await this.#record('create GPU lease', name, image, leaseLabels(lease));
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
    }
    // The engine reserves the name a moment before the winner's container can be inspected.
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const holder = await this.limiter.run(() => this.engines.call(this.target, 'read GPU lease', (d) => d.getContainer(name).inspect(), WRITE_TIMEOUT_MS)).catch((error: unknown) => {
        if (statusOf(error) !== 404) throw error;
        return null; // not inspectable yet, or freed meanwhile
      });
      const found = leaseFromLabels(this.target, holder?.Config?.Labels);
      if (found) return found;
      if (holder) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { gpu: lease.gpu, idleMinutes: 0, host: this.target, holder: `another container named ${name}`, sessionId: '', since: '' };
  }

  /** An extension record: the same lease, lasting `seconds` from now (engine clock). */
  async createExtension(lease: LeaseRecordInput, image: string): Promise<string> {
    return this.#record('extend GPU lease', extensionContainerName(lease.gpu, `${Date.now()}${randomBytes(3).toString('hex')}`), image, leaseLabels(lease, true));
  }

  /** A place in the queue; 409 (already queued) answers null. */
  async createQueueEntry(entry: QueueInput, image: string): Promise<string | null> {
    try {
      return await this.#record('join GPU queue', queueContainerName(entry.sessionId), image, queueLabels(entry));
    } catch (error) {
      if (statusOf(error) === 409) return null;
      throw error;
    }
  }

  /** Removes records by container id (not name: a card freed and claimed again meanwhile keeps its new lease). */
  async remove(containerIds: string[]): Promise<void> {
    await Promise.all(containerIds.map((id) => this.limiter.run(() => this.engines.call(this.target, 'free GPU record', (d) => d.getContainer(id).remove({ force: true }), WRITE_TIMEOUT_MS))
      .catch((error: unknown) => {
        if (statusOf(error) !== 404) throw error; // already gone: freed by the agent or another client
      })));
  }
}
