import type { GpuInfo, GpuLease, HostInfo } from '../../../shared/contract/hosts';
import type { EngineService } from '../engine/service';
import { BenchtopError, toErrorInfo } from '../errors';
import type { Logger } from '../log/logger';
import type { HostConfig } from '../settings/schema';

/** What a host summary shows besides its engine; the GPU service supplies it (core.ts wires it). */
export interface HostExtras {
  inventory(target: string): Promise<GpuInfo[]>;
  leases(target: string): Promise<GpuLease[]>;
}

export interface DescribeDeps {
  engines: EngineService;
  extras?: HostExtras;
  fingerprint(hostId: string): string | undefined;
  log?: Logger;
}

/** The label every Benchtop session container carries (see session/labels.ts). */
const SESSION_FILTER = 'dev.benchtop.session=1';

const STATUS_BY_CODE: Partial<Record<string, HostInfo['status']>> = {
  HOST_UNREACHABLE: 'unreachable',
  ENGINE_UNREACHABLE: 'unreachable',
  ENGINE_TIMEOUT: 'unreachable',
  TIMEOUT: 'unreachable',
  HOST_KEY_CHANGED: 'key-changed',
  HOST_AUTH_FAILED: 'auth-failed',
  HOST_KEY_UNKNOWN: 'unknown',
};

/**
 * One host's summary: its engine, GPUs, who holds which GPU, and how many Benchtop sessions run
 * there. With `strict`, a host that cannot be reached throws its error (Test button, `host test`);
 * otherwise the failure becomes the host's status and message (the host list never fails whole).
 */
export async function describeHost(host: HostConfig, deps: DescribeDeps, strict: boolean): Promise<HostInfo> {
  const info: HostInfo = {
    id: host.id,
    spec: host.spec,
    user: host.user,
    hostname: host.hostname,
    port: host.port,
    status: 'unknown',
    gpus: [],
    leases: [],
    sessions: 0,
  };
  try {
    info.engine = await deps.engines.info(host.id);
    const [gpus, leases, sessions] = await Promise.all([
      // A host without nvidia-smi simply has no GPUs; GPU trouble never hides the engine.
      deps.extras?.inventory(host.id).catch((error: unknown) => deps.log?.ignored(`listing the GPUs of ${host.id}`, error) ?? []) ?? [],
      deps.extras?.leases(host.id).catch((error: unknown) => deps.log?.ignored(`listing the GPU leases of ${host.id}`, error) ?? []) ?? [],
      deps.engines.call(host.id, 'list sessions', (d) => d.listContainers({ filters: { label: [SESSION_FILTER], status: ['running'] } })),
    ]);
    info.gpus = gpus;
    info.leases = leases;
    info.sessions = sessions.length;
    info.status = 'ok';
  } catch (error) {
    if (strict) throw error;
    const failure = toErrorInfo(error);
    info.status = STATUS_BY_CODE[failure.code] ?? 'unknown';
    info.message = `${failure.message}${failure.hint ? ` ${failure.hint}` : ''}`;
    if (!(error instanceof BenchtopError)) info.message = `Unexpected: ${failure.message}`;
  }
  if (host.insecure) info.warning = `${host.spec} is reached without TLS (added with --insecure): its traffic, and control of its engine, are open to anyone on the network path.`;
  const fingerprint = deps.fingerprint(host.id);
  if (fingerprint) info.fingerprint = fingerprint;
  return info;
}
