import { existsSync } from 'node:fs';
import { testEnv } from '../support/env';
import { hostsFixture, specOf } from '../hosts/support';
import { sshHostEnv } from '../support/ssh-host';
import { defineSyncSuite } from './suite';
import { syncFixture } from './support';

const ready = existsSync(new URL('../../.test-env/ssh-host.json', import.meta.url)) && existsSync(new URL('../../.test-env/env.json', import.meta.url));

// The same suite against the shared GPU host's engine, every request over the one SSH connection;
// a cut is the SSH connection dropping mid-transfer.
if (ready) {
  defineSyncSuite('two-way notebook sync with a volume on an SSH host', async () => {
    const ssh = sshHostEnv();
    const env = testEnv();
    const image = `${env.registry}/${env.image.repository}@${env.image.versions[env.image.latest].digest}`;
    const fx = hostsFixture({ knownHosts: `${ssh.knownHostsLine}\n` });
    const added = await fx.core.hosts.add({ spec: specOf(ssh), identityFile: ssh.identityFile, dockerSocket: ssh.dockerSocket });
    if (added.status !== 'added') throw new Error(`the test host was not added: ${added.status}`);
    const target = added.host.id;
    await fx.core.sessions.pulls.pull(target, image, 'bt-test-pull', new AbortController().signal);
    const fixture = await syncFixture({ image, core: fx.core, target });
    const cleanup = fixture.cleanup;
    fixture.cleanup = async () => {
      await cleanup();
      await fx.close();
    };
    // Destroying the socket is a network drop: the connection reconnects on its next use.
    const cut = () => void fx.core.hosts.connection(target).client().then((client) => client.destroy());
    return { fixture, cut, cutCodes: ['SYNC_FAILED', 'ENGINE_UNREACHABLE', 'HOST_UNREACHABLE'] };
  });
}
