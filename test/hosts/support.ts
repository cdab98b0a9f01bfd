import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core } from '../../src/main/core/core';
import { openConfSettings } from '../../src/main/core/settings/conf-store';
import { sshHostEnv, type SshAccount, type SshHostEnv } from '../support/ssh-host';

/** A Core with its own settings folder, HOME, ~/.ssh/config and known_hosts, and no SSH agent unless given. */
export interface HostsFixture {
  core: Core;
  dir: string;
  ssh: SshHostEnv;
  knownHosts: string;
  sshConfig: string;
  /** The environment the Core runs with (HOME, known_hosts, ssh config): for a CLI run as the same user. */
  env: NodeJS.ProcessEnv;
  /** Another Core on the same settings and environment: the app started again on the same laptop. */
  reopen(): Core;
  close(): Promise<void>;
}

/** `userName`: the name this install shows teammates (settings `userName`), as on a second laptop. */
export function hostsFixture(files: { knownHosts?: string; sshConfig?: string; agentSocket?: string; userName?: string } = {}): HostsFixture {
  const ssh = sshHostEnv();
  const dir = mkdtempSync(join(tmpdir(), 'bt-test-hosts-'));
  const knownHosts = join(dir, 'known_hosts');
  const sshConfig = join(dir, 'ssh_config');
  if (files.knownHosts !== undefined) writeFileSync(knownHosts, files.knownHosts);
  writeFileSync(sshConfig, files.sshConfig ?? '');
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, BENCHTOP_KNOWN_HOSTS: knownHosts, BENCHTOP_SSH_CONFIG: sshConfig };
  delete env.SSH_AUTH_SOCK;
  if (files.agentSocket) env.SSH_AUTH_SOCK = files.agentSocket;
  const settings = openConfSettings(join(dir, 'settings'));
  if (files.userName) settings.set('userName', files.userName);
  const core = new Core({ settings, shell: 'cli', env });
  const reopened: Core[] = [];
  return {
    core, dir, ssh, knownHosts, sshConfig, env,
    reopen() {
      const again = new Core({ settings: openConfSettings(join(dir, 'settings')), shell: 'cli', env });
      reopened.push(again);
      return again;
    },
    async close() {
      for (const again of reopened) await again.close();
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `btgpu@10.213.7.2`, the spec a user would type for the test host. */
export const specOf = (ssh: SshHostEnv): string => `${ssh.user}@${ssh.host}${ssh.port === 22 ? '' : `:${ssh.port}`}`;

/**
 * A hostsFixture that trusts the SSH test host and has added it (`target` is its host id); with
 * `pull`, that image is pulled onto the host's engine first. `as`: log in as that account (one of
 * sshHostEnv().accounts, e.g. an analyst from analystAccounts()) instead of btgpu; its user name is
 * also the name this install shows, so two fixtures are two people with their own laptops.
 */
export async function sshHostFixture(pull?: string, as?: SshAccount): Promise<{ fx: HostsFixture; target: string }> {
  const ssh = sshHostEnv();
  const fx = hostsFixture({ knownHosts: `${ssh.knownHostsLine}\n`, userName: as?.user });
  const login = as ? { ...ssh, user: as.user } : ssh;
  const added = await fx.core.hosts.add({ spec: specOf(login), identityFile: as?.identityFile ?? ssh.identityFile, dockerSocket: ssh.dockerSocket });
  if (added.status !== 'added') throw new Error(`the test host was not added: ${added.status}`);
  const target = added.host.id;
  if (pull) await fx.core.sessions.pulls.pull(target, pull, fx.core.ops.create('bt-test-pull'));
  return { fx, target };
}
