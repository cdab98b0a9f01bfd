/**
 * An analysis image the engine does not have yet, for specs that must watch a real pull: the test
 * analysis image plus a few layers of random (incompressible) bytes, so its labels — the lockfile's
 * sha256 among them — are the analysis image's and a session on it starts Jupyter as usual. Pushed
 * to the loopback registry and dropped from the engine; only the new layers are pulled again.
 */
import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { pack } from 'tar-stream';
import { deleteFromRegistry, removeLocal, type UniqueImage } from '../../bench/support/unique-image';
import { testEnv } from '../../test/support/env';
import { followDockerStream } from '../../test/support/docker-follow';

export type { UniqueImage } from '../../bench/support/unique-image';

/** The test engine (the one the bridge's Core talks to). */
export function testDocker(): Docker {
  const host = testEnv().dockerHost;
  return host.startsWith('unix://') ? new Docker({ socketPath: host.slice('unix://'.length) }) : new Docker();
}

/**
 * Builds `FROM <analysis image of version>` with `layers` random files of `layerBytes` each, pushes
 * it as `<registry>/bt-test/<name>:v1` and removes it from the engine again (base layers stay: they
 * belong to the analysis image).
 */
export async function pushUniqueAnalysisImage(docker: Docker, name: string, version: string, layers: number, layerBytes: number): Promise<UniqueImage> {
  const env = testEnv();
  const base = `${env.registry}/${env.image.repository}@${env.image.versions[version]?.digest ?? ''}`;
  const repository = `${env.registry}/bt-test/${name}`;
  const tag = 'v1';
  const context = pack();
  const files = Array.from({ length: layers }, (_, i) => `layer-${i}.bin`);
  context.entry({ name: 'Dockerfile' }, `FROM ${base}\n${files.map((f) => `COPY ${f} /opt/bt-test/${f}`).join('\n')}\n`);
  for (const file of files) context.entry({ name: file }, randomBytes(layerBytes));
  context.finalize();
  await followDockerStream(docker, await docker.buildImage(context as unknown as NodeJS.ReadableStream, { t: `${repository}:${tag}`, rm: true, forcerm: true }));
  try {
    const events = await followDockerStream(docker, (await docker.getImage(`${repository}:${tag}`).push({ authconfig: { serveraddress: env.registry } } as never)) as unknown as NodeJS.ReadableStream);
    const digest = events.find((e) => e.aux?.Digest)?.aux?.Digest;
    if (!digest) throw new Error(`push of ${repository}:${tag} reported no digest`);
    return { repository, tag, digest, ref: `${repository}@${digest}` };
  } finally {
    await removeLocal(docker, `${repository}:${tag}`);
  }
}

/** Removes what pushUniqueAnalysisImage made: the engine's copy (pulled by the spec) and the registry's manifest. */
export async function dropUniqueImage(docker: Docker, image: UniqueImage): Promise<void> {
  await removeLocal(docker, image.ref);
  await removeLocal(docker, `${image.repository}:${image.tag}`);
  await deleteFromRegistry(image);
}
