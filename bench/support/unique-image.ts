/**
 * Images made for one pull bench or test: random (incompressible) layers, so nothing is already on
 * the engine and a pull really downloads; pushed to a loopback registry and dropped from the engine.
 */
import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { pack } from 'tar-stream';
import { followDockerStream } from '../../test/support/docker-follow';

export interface UniqueImage {
  repository: string;
  tag: string;
  digest: string;
  /** `repository@digest`. */
  ref: string;
}

export interface Login {
  username: string;
  password: string;
}

/** Builds `FROM scratch` with `layers` random files of `layerBytes` each, pushes it to `registry`, removes it locally. */
export async function pushUniqueImage(docker: Docker, registry: string, name: string, layers: number, layerBytes: number, login?: Login): Promise<UniqueImage> {
  const repository = `${registry}/bt-test/${name}`;
  const tag = 'v1';
  const context = pack();
  const files = Array.from({ length: layers }, (_, i) => `layer-${i}.bin`);
  context.entry({ name: 'Dockerfile' }, `FROM scratch\n${files.map((f) => `COPY ${f} /${f}`).join('\n')}\n`);
  for (const file of files) context.entry({ name: file }, randomBytes(layerBytes));
  context.finalize();
  await followDockerStream(docker, await docker.buildImage(context as unknown as NodeJS.ReadableStream, { t: `${repository}:${tag}` }));
  const events = await followDockerStream(docker, (await docker.getImage(`${repository}:${tag}`).push({ authconfig: { ...login, serveraddress: registry } } as never)) as unknown as NodeJS.ReadableStream);
  const digest = events.find((e) => e.aux?.Digest)?.aux?.Digest;
  if (!digest) throw new Error(`push of ${repository}:${tag} reported no digest`);
  await removeLocal(docker, `${repository}:${tag}`);
  return { repository, tag, digest, ref: `${repository}@${digest}` };
}

/** Removes an image the bench or test made from the engine (never anything else). */
export async function removeLocal(docker: Docker, ref: string): Promise<void> {
  await docker.getImage(ref).remove({ force: true }).catch(() => undefined);
}

/** Deletes the manifest from the registry again, so made-up images do not pile up there. */
export async function deleteFromRegistry(image: UniqueImage, login?: Login): Promise<void> {
  const [host, ...path] = image.repository.split('/');
  const headers: Record<string, string> = login ? { Authorization: `Basic ${Buffer.from(`${login.username}:${login.password}`).toString('base64')}` } : {};
  await fetch(`http://${host}/v2/${path.join('/')}/manifests/${image.digest}`, { method: 'DELETE', headers }).catch(() => undefined);
}
