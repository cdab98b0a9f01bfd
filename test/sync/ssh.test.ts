import { existsSync } from 'node:fs';
import { testEnv } from '../support/env';
import { sshHostFixture } from '../hosts/support';
import { defineSyncSuite } from './suite';
import { syncFixture } from './support';

const ready = existsSync(new URL('../../.test-env/ssh-host.json', import.meta.url)) && existsSync(new URL('../../.test-env/env.json', import.meta.url));

// The same suite against the shared GPU host's engine, every request over the one SSH connection;
// a cut is the SSH connection dropping mid-transfer.
if (ready) {
  defineSyncSuite('two-way notebook sync with a volume on an SSH host', async () => {
    const env = testEnv();
    const image = `${env.registry}/${env.image.repository}@${env.image.versions[env.image.latest].digest}`;
    const { fx, target } = await sshHostFixture(image);
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
