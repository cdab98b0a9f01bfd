import type { HostInfo } from '../../../shared/contract/hosts';
import type { CloudStepName } from '../../../shared/contract/operations';
import { BenchtopError } from '../errors';
import type { HostConfig } from '../settings/schema';
import type { SettingsStore } from '../settings/store';
import type { ComputeClients } from './client';
import { isNotFound } from './gce-errors';
import { recordVmHostKeys, type HostKeyLine } from './known-hosts';

/** The part of the hosts service a hand-off uses. */
export interface HandoffHosts {
  readonly paths: { knownHostsPath: string };
  configs(): HostConfig[];
  remove(hostId: string): Promise<{ removed: true }>;
  /** Closes the host's connection (the VM stopped); its entry stays. */
  close(hostId: string): Promise<void>;
  exec(target: string, command: string, timeoutMs?: number): Promise<{ exitCode: number | null; stdout: string; stderr: string }>;
  test(hostId: string): Promise<HostInfo>;
}

export interface HandoffInput {
  project: string;
  zone: string;
  name: string;
  address: string;
  marker: string;
  sshUser: string;
  identityFile: string;
  dockerSocket?: string;
  signal?: AbortSignal;
  step: (name: CloudStepName, detail?: string) => void;
  /** How long the guest may take to publish its keys, and its SSH and engine to answer (first boot installs the driver). */
  timeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The VM's SSH host keys as its guest agent publishes them in guest attributes (`hostkeys/`),
 * read through the API: a source Benchtop trusts because it comes over the authenticated API,
 * unlike the first key a new address presents. Waits until the guest has published them.
 */
export async function vmHostKeys(clients: ComputeClients, project: string, zone: string, name: string, deadline: number, signal?: AbortSignal): Promise<HostKeyLine[]> {
  for (;;) {
    if (signal?.aborted) throw new BenchtopError('CANCELLED', 'The operation was cancelled.');
    try {
      const [attributes] = await clients.instances.getGuestAttributes({ project, zone, instance: name, queryPath: 'hostkeys/' });
      const keys = (attributes.queryValue?.items ?? [])
        .filter((item) => item.namespace === 'hostkeys' && item.key && item.value)
        .map((item) => {
          // The key is the type; the value is the base64 blob (some images write "type blob").
          const parts = String(item.value).trim().split(/\s+/);
          return parts.length > 1 ? { keyType: parts[0], keyBase64: parts[1] } : { keyType: String(item.key), keyBase64: parts[0] };
        });
      if (keys.length) return keys;
    } catch (error) {
      // 404 until the guest agent has written its first attribute.
      if (!isNotFound(error)) throw error;
    }
    if (Date.now() > deadline) {
      throw new BenchtopError('HOST_KEY_UNKNOWN', `${name} has not published its SSH host keys (guest attributes hostkeys/) in time.`,
        'The boot image needs the Google guest agent with guest attributes enabled; look at the VM\'s serial console, or delete the VM.');
    }
    await sleep(500);
  }
}

/**
 * Makes a RUNNING VM an SSH host of Benchtop: its published host keys go into known_hosts (marked
 * as the VM's), its address into the host entry named after the VM, and Benchtop connects over SSH
 * and reaches its engine. An entry from an earlier run (another address) is replaced.
 */
export async function handOff(clients: ComputeClients, hosts: HandoffHosts, settings: SettingsStore, i: HandoffInput, now: () => number): Promise<HostInfo> {
  const deadline = now() + (i.timeoutMs ?? 10 * 60_000);
  i.step('ssh', `waiting for ${i.name}'s host keys`);
  const keys = await vmHostKeys(clients, i.project, i.zone, i.name, deadline, i.signal);
  await recordVmHostKeys(hosts.paths.knownHostsPath, i.marker, i.address, keys);
  if (hosts.configs().some((h) => h.id === i.name)) await hosts.remove(i.name);
  const config: HostConfig = {
    id: i.name,
    spec: `${i.sshUser}@${i.address}`,
    user: i.sshUser,
    hostname: i.address,
    port: 22,
    identityFile: i.identityFile,
    ...(i.dockerSocket ? { dockerSocket: i.dockerSocket } : {}),
    addedAt: new Date(now()).toISOString(),
  };
  settings.update('hosts', (list) => [...list.filter((h) => h.id !== config.id), config]);
  i.step('ssh', `connecting to ${i.sshUser}@${i.address}`);
  await retryWhileBooting(() => hosts.exec(i.name, 'true', 15_000), deadline, i.signal);
  i.step('docker', `waiting for the engine on ${i.name}`);
  return retryWhileBooting(async () => {
    const info = await hosts.test(i.name);
    if (!info.engine) throw new BenchtopError('ENGINE_UNREACHABLE', `${i.name} answers over SSH but its engine does not: ${info.message ?? info.status}.`, 'The boot image needs Docker; look at the VM\'s serial console.');
    return info;
  }, deadline, i.signal);
}

/** A booting VM refuses connections, and its engine starts after sshd: retried until the deadline. */
async function retryWhileBooting<T>(work: () => Promise<T>, deadline: number, signal?: AbortSignal): Promise<T> {
  for (;;) {
    try {
      return await work();
    } catch (error) {
      const code = error instanceof BenchtopError ? error.code : '';
      if (!['HOST_UNREACHABLE', 'ENGINE_UNREACHABLE', 'ENGINE_TIMEOUT', 'TIMEOUT'].includes(code) || Date.now() > deadline) throw error;
      if (signal?.aborted) throw new BenchtopError('CANCELLED', 'The operation was cancelled.');
      await sleep(300);
    }
  }
}
