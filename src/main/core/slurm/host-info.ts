import type { HostInfo } from '../../../shared/contract/hosts';
import { BenchtopError, toErrorInfo } from '../errors';
import type { HostsService } from '../hosts/service';
import type { HostConfig } from '../settings/schema';
import type { SlurmService } from './service';

const STATUS_BY_CODE: Partial<Record<string, HostInfo['status']>> = {
  HOST_UNREACHABLE: 'unreachable',
  SLURM_UNREACHABLE: 'unreachable',
  TIMEOUT: 'unreachable',
  HOST_KEY_CHANGED: 'key-changed',
  HOST_AUTH_FAILED: 'auth-failed',
  HOST_KEY_UNKNOWN: 'unknown',
};

/**
 * A cluster's summary for the Hosts list and `host test`: its partitions, GPUs and the user's limits
 * (sinfo, sacctmgr) and how many of the user's sessions are queued or running. With `strict`, a
 * cluster that cannot be read throws its error; otherwise the error becomes its status.
 */
export async function describeCluster(host: HostConfig, slurm: SlurmService, hosts: HostsService, strict: boolean): Promise<HostInfo> {
  const info: HostInfo = { id: host.id, spec: host.spec, user: host.user, hostname: host.hostname, port: host.port, status: 'unknown', gpus: [], leases: [], sessions: 0, kind: 'slurm' };
  try {
    const [cluster, sessions] = await Promise.all([slurm.check(host.id), slurm.list(host.id)]);
    info.cluster = cluster;
    info.sessions = sessions.filter((s) => s.mine && (s.state === 'pending' || s.state === 'starting' || s.state === 'ready')).length;
    info.status = 'ok';
  } catch (error) {
    if (strict) throw error;
    const failure = toErrorInfo(error);
    info.status = STATUS_BY_CODE[failure.code] ?? 'unknown';
    info.message = error instanceof BenchtopError ? `${failure.message}${failure.hint ? ` ${failure.hint}` : ''}` : `Unexpected: ${failure.message}`;
  }
  const fingerprint = hosts.connection(host.id).presentedKey?.fingerprint;
  if (fingerprint) info.fingerprint = fingerprint;
  return info;
}
