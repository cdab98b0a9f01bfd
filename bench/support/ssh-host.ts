import { sshHostFixture, type HostsFixture } from '../../test/hosts/support';
import { testEnv, type TestEnv } from '../../test/support/env';
import { sshHostEnv, type SshHostEnv } from '../../test/support/ssh-host';

export interface BenchHost {
  ssh: SshHostEnv;
  env: TestEnv;
  /** The latest analysis image, by digest. */
  image: string;
  fx: HostsFixture;
  /** The SSH test host's id, added and trusted, with `image` already on its engine. */
  target: string;
}

/** The SSH test host added to a fresh Core, with the analysis image pulled onto it, for benches. */
export async function benchSshHost(): Promise<BenchHost> {
  const env = testEnv();
  const image = `${env.registry}/${env.image.repository}@${env.image.versions[env.image.latest].digest}`;
  const { fx, target } = await sshHostFixture(image);
  return { ssh: sshHostEnv(), env, image, fx, target };
}
