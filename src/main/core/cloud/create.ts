import { randomUUID } from 'node:crypto';
import type { protos } from '@google-cloud/compute';
import type { CloudCreateRequest } from '../../../shared/contract/cloud';
import type { CloudStepName } from '../../../shared/contract/operations';
import { BenchtopError } from '../errors';
import type { Logger } from '../log/logger';
import type { ComputeClients } from './client';
import { cloudError, isNotFound, isStockout, problemsOfThrown, quotaNamed, type GceProblem } from './gce-errors';
import type { GpuModel, GpuShape } from './gpu-models';
import { instanceSpec, type InstanceSpecInput } from './instance-spec';
import { waitForOperation } from './operation';

type Instance = protos.google.cloud.compute.v1.IInstance;

export interface SweepInput {
  project: string;
  zones: string[];
  spec: Omit<InstanceSpecInput, 'zone'>;
  step: (name: CloudStepName, detail?: string) => void;
  signal?: AbortSignal;
  log?: Logger;
}

type Attempt = { ok: true; zone: string } | { ok: false; stockout: GceProblem[] };

/**
 * Inserts the VM in the first zone that has capacity. A stockout (in the insert's answer, in its
 * DONE operation's error.errors[], or as a 404 for the new instance right after) moves on to the
 * next zone; a project-wide quota (GPUS_ALL_REGIONS) stops the sweep, since no zone can help.
 * Each zone's insert has its own requestId, reused if that insert is sent again, so a retried
 * request never makes two VMs.
 */
export async function createInFirstZone(clients: ComputeClients, s: SweepInput): Promise<string> {
  const tried: string[] = [];
  for (const [index, zone] of s.zones.entries()) {
    s.step('create', `trying ${zone} (${index + 1} of ${s.zones.length})`);
    const outcome = await attempt(clients, s, zone);
    if (outcome.ok) return zone;
    const why = outcome.stockout.map((p) => p.code).join(', ') || 'no capacity';
    tried.push(`${zone}: ${why}`);
    s.log?.info(`no capacity for ${s.spec.name} in ${zone}`, { problems: outcome.stockout });
    s.step('create', `${zone} has no capacity (${why}); ${index + 1 < s.zones.length ? 'next zone' : 'no zone left'}`);
  }
  throw new BenchtopError('CLOUD_STOCKOUT', `No zone had capacity for ${s.spec.shape.gpuCount} × ${s.spec.model.gpuType} (${s.spec.machineType ?? s.spec.shape.machineType}): ${tried.join('; ') || 'no zone offers it'}.`,
    'Try other zones, spot, or another GPU type; capacity changes within hours.');
}

async function attempt(clients: ComputeClients, s: SweepInput, zone: string): Promise<Attempt> {
  const resource: Instance = instanceSpec({ ...s.spec, zone });
  const requestId = randomUUID();
  const what = `Creating ${s.spec.name} in ${zone}`;
  let operation: protos.google.cloud.compute.v1.IOperation;
  try {
    operation = await insertOnce(clients, s.project, zone, resource, requestId);
  } catch (error) {
    const { problems } = problemsOfThrown(error);
    if (quotaNamed(problems)) throw cloudError(what, problems);
    if (isStockout(problems)) return { ok: false, stockout: problems };
    throw cloudError(what, error);
  }
  const { problems } = await waitForOperation(clients, s.project, zone, operation, s.signal);
  if (problems.length) {
    if (quotaNamed(problems)) throw cloudError(what, problems);
    if (isStockout(problems)) return { ok: false, stockout: problems };
    throw cloudError(what, problems);
  }
  // A stockout can also show as the new instance vanishing right after a DONE insert.
  try {
    await clients.instances.get({ project: s.project, zone, instance: s.spec.name });
  } catch (error) {
    if (isNotFound(error)) return { ok: false, stockout: [{ code: 'NOT_FOUND_AFTER_INSERT', message: `${s.spec.name} vanished after its insert` }] };
    throw cloudError(what, error);
  }
  return { ok: true, zone };
}

/** One insert, sent again once with the same requestId when the connection failed before an answer. */
async function insertOnce(clients: ComputeClients, project: string, zone: string, instanceResource: Instance, requestId: string) {
  const send = async () => (await clients.instances.insert({ project, zone, instanceResource, requestId }))[0].latestResponse as protos.google.cloud.compute.v1.IOperation;
  try {
    return await send();
  } catch (error) {
    if (problemsOfThrown(error).status !== undefined) throw error;
    return send();
  }
}

export function vmName(req: CloudCreateRequest, ownerName: string): string {
  const name = req.name ?? `benchtop-${ownerName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 20) || 'vm'}-${randomUUID().slice(0, 6)}`;
  if (!/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) {
    throw new BenchtopError('INVALID_ARGUMENT', `"${name}" is not a valid VM name.`, 'Use lower-case letters, digits and -, starting with a letter (at most 63).');
  }
  return name;
}

export type { GpuModel, GpuShape };
