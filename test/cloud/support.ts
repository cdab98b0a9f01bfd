import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core } from '../../src/main/core/core';
import { openConfSettings } from '../../src/main/core/settings/conf-store';
import { DEFAULT_SETTINGS } from '../../src/main/core/settings/schema';
import type { EventMap } from '../../src/shared/ipc';
import { GceServer, type GceServerOptions } from './gce-server';
import { cloudVmEnv } from './test-vm';

export const PROJECT = 'bt-test-project';

/** Three zones in two regions; europe-west4 lists T4 and L4, us-central1 T4 and A100. */
export const ZONES: GceServerOptions['zones'] = {
  'europe-west4-a': ['nvidia-tesla-t4', 'nvidia-l4'],
  'europe-west4-b': ['nvidia-tesla-t4'],
  'us-central1-a': ['nvidia-tesla-t4', 'nvidia-tesla-a100'],
  'us-east1-c': [],
};

export interface CloudFixture {
  server: GceServer;
  core: Core;
  dir: string;
  env: NodeJS.ProcessEnv;
  knownHosts: string;
  /** Steps the core reported (operationStep), in order. */
  steps: EventMap['operationStep'][];
  /** Another Core on the same settings: the app started again. */
  reopen(): Core;
  close(): Promise<void>;
}

/**
 * The local GCE server, an ADC file pointing at its token endpoint, and a Core with its own settings,
 * HOME and known_hosts, its cloud settings aimed at the test project (VMs log in as the test account
 * and use the test host's engine socket).
 */
export async function cloudFixture(options: Partial<GceServerOptions> = {}, settings: { zones?: string[]; userName?: string } = {}): Promise<CloudFixture> {
  const vmEnv = cloudVmEnv();
  const server = await new GceServer({ project: PROJECT, zones: ZONES, vmEnv, ...options }).start();
  const dir = mkdtempSync(join(tmpdir(), 'bt-test-cloud-'));
  const adc = join(dir, 'adc.json');
  writeFileSync(adc, JSON.stringify(server.credentials()));
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(join(dir, 'ssh_config'), '');
  const env: NodeJS.ProcessEnv = {
    ...process.env, HOME: dir, BENCHTOP_KNOWN_HOSTS: knownHosts, BENCHTOP_SSH_CONFIG: join(dir, 'ssh_config'),
    GOOGLE_APPLICATION_CREDENTIALS: adc, BENCHTOP_GCE_ENDPOINT: server.url, BENCHTOP_BILLING_ENDPOINT: server.url, CLOUDSDK_CONFIG: join(dir, 'gcloud'),
  };
  delete env.SSH_AUTH_SOCK;
  const open = () => {
    const s = openConfSettings(join(dir, 'settings'));
    return s;
  };
  const store = open();
  store.set('cloud', { ...DEFAULT_SETTINGS.cloud, project: PROJECT, zones: settings.zones ?? [], sshUser: vmEnv.user, dockerSocket: vmEnv.dockerSocket, maxRunHours: 2 });
  if (settings.userName) store.set('userName', settings.userName);
  const core = new Core({ settings: store, shell: 'cli', env });
  const steps: EventMap['operationStep'][] = [];
  core.bus.on('operationStep', (s) => steps.push(s));
  const reopened: Core[] = [];
  return {
    server, core, dir, env, knownHosts, steps,
    reopen() {
      const again = new Core({ settings: open(), shell: 'cli', env });
      reopened.push(again);
      return again;
    },
    async close() {
      for (const again of reopened) await again.close();
      await core.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
