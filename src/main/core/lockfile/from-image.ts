import { createHash, randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import type { EngineService } from '../engine/service';
import { LOCAL } from '../engine/service';
import { BenchtopError } from '../errors';
import type { RegistryService } from '../registry/service';

/**
 * Reads one file (the lockfile) out of an image without running it: from the local engine's copy
 * when there is one (a created, never started container and `getArchive`), else from the
 * registry, layer by layer from the top, where images/publish.sh puts the lockfile.
 */

/** How much compressed layer data the registry walk reads before giving up (the lockfile sits in small top layers). */
const REGISTRY_BUDGET_BYTES = 512 * 2 ** 20;
/** A lockfile is a text file of package lines; anything this big is not one. */
const MAX_FILE_BYTES = 8 * 2 ** 20;

export interface ImageFileSources {
  engines: EngineService;
  registry: RegistryService;
}

/** The file's text, or undefined when the image has no such file. */
export async function readImageFile(sources: ImageFileSources, image: string, path: string): Promise<string | undefined> {
  const local = await fromEngine(sources.engines, image, path);
  if (local !== null) return local;
  return fromRegistry(sources.registry, image, path);
}

async function firstFileOfTar(stream: NodeJS.ReadableStream): Promise<string | undefined> {
  let found: string | undefined;
  const extract = tarExtract();
  extract.on('entry', (header, body, next) => {
    const chunks: Buffer[] = [];
    body.on('data', (c: unknown) => {
      if (found === undefined && header.type === 'file') chunks.push(c as Buffer);
    });
    body.on('end', () => {
      if (found === undefined && header.type === 'file') found = Buffer.concat(chunks).toString('utf8');
      next();
    });
    body.resume();
  });
  await pipeline(stream, extract);
  return found;
}

/** null: the engine does not have the image (or there is no engine); undefined: it has no such file. */
async function fromEngine(engines: EngineService, image: string, path: string): Promise<string | undefined | null> {
  try {
    await engines.call(LOCAL, 'image inspect', (d) => d.getImage(image).inspect());
  } catch {
    // Not pulled here (or no engine): the registry has it too.
    return null;
  }
  const name = `benchtop-lockfile-${randomBytes(6).toString('hex')}`;
  const container = await engines.call(LOCAL, 'create lockfile reader', (d) =>
    // Created, never started: getArchive reads a stopped container's filesystem.
    d.createContainer({ name, Image: image, Entrypoint: ['/bin/true'], Cmd: [], Labels: { 'dev.benchtop.lockfile-reader': '1' } }));
  try {
    const archive = await engines.call(LOCAL, 'read lockfile', (d) => d.getContainer(container.id).getArchive({ path }))
      .catch((error: unknown) => {
        if (error instanceof BenchtopError && error.code === 'NOT_FOUND') return undefined;
        throw error;
      });
    return archive ? await firstFileOfTar(archive) : undefined;
  } finally {
    await container.remove({ force: true }).catch((error: unknown) => {
      // Left behind it costs a name, not data; say so rather than hide it.
      process.emitWarning(`benchtop: could not remove ${name}: ${String(error)}`);
    });
  }
}

type LayerVerdict = { found: string } | { deleted: true } | undefined;

/** Looks for `path` in one layer tarball, honouring whiteouts (`.wh.name`, `.wh..wh..opq`). */
async function searchLayer(body: Readable, wanted: string, digest: string): Promise<LayerVerdict> {
  const hash = createHash('sha256');
  let found: string | undefined;
  let hidden = false;
  const extract = tarExtract();
  extract.on('entry', (header, entry, next) => {
    const name = header.name.replace(/^\.?\/+/, '');
    const chunks: Buffer[] = [];
    let size = 0;
    entry.on('data', (c: unknown) => {
      if (name === wanted && size <= MAX_FILE_BYTES) chunks.push(c as Buffer);
      size += (c as Buffer).length;
    });
    entry.on('end', () => {
      if (name === wanted && header.type === 'file' && size <= MAX_FILE_BYTES) found = Buffer.concat(chunks).toString('utf8');
      else if (isWhiteoutOf(name, wanted)) hidden = true;
      next();
    });
    entry.resume();
  });
  // Hash what the registry sent, so a layer that is not the one the manifest names is never trusted.
  const tee = new PassThrough();
  tee.on('data', (c: Buffer) => hash.update(c));
  const head = await peek(body);
  if (!head.gzip && !head.tar) return undefined; // zstd or another compression: not readable here
  try {
    if (head.gzip) await pipeline(head.stream, tee, createGunzip(), extract);
    else await pipeline(head.stream, tee, extract);
  } catch (error) {
    // Not a tarball after all (a foreign artifact's blob): it holds no files, so no lockfile either.
    if (/tar header|unexpected end of data/i.test(String(error))) return undefined;
    throw error;
  }
  if (`sha256:${hash.digest('hex')}` !== digest) {
    throw new BenchtopError('DIGEST_MISMATCH', `The registry sent a layer whose content is not ${digest}.`, 'Do not use this image; tell whoever runs the registry.');
  }
  // A file written in this layer wins over an opaque marker for its folder in the same layer.
  if (found !== undefined) return { found };
  return hidden ? { deleted: true } : undefined;
}

/** `dir/.wh.name` deletes the file; `dir/.wh..wh..opq` hides everything below `dir/` from lower layers. */
function isWhiteoutOf(name: string, wanted: string): boolean {
  const slash = wanted.lastIndexOf('/');
  if (name === `${wanted.slice(0, slash + 1)}.wh.${wanted.slice(slash + 1)}`) return true;
  if (!name.endsWith('.wh..wh..opq')) return false;
  return wanted.startsWith(name.slice(0, -'.wh..wh..opq'.length));
}

/** Looks at the first bytes: gzip (1f 8b) or a plain tar ("ustar" at 257). */
async function peek(body: Readable): Promise<{ stream: Readable; gzip: boolean; tar: boolean }> {
  const iterator = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const buffered: Buffer[] = [];
  let length = 0;
  while (length < 262) {
    const { value, done } = await iterator.next();
    if (done) break;
    buffered.push(value);
    length += value.length;
  }
  const start = Buffer.concat(buffered);
  async function* rest(): AsyncGenerator<Buffer> {
    yield start;
    for (;;) {
      const { value, done } = await iterator.next();
      if (done) return;
      yield value;
    }
  }
  return { stream: Readable.from(rest()), gzip: start[0] === 0x1f && start[1] === 0x8b, tar: start.subarray(257, 262).toString() === 'ustar' };
}

async function fromRegistry(registry: RegistryService, image: string, path: string): Promise<string | undefined> {
  const wanted = path.replace(/^\/+/, '');
  const resolved = await registry.resolve(image);
  let budget = REGISTRY_BUDGET_BYTES;
  for (const layer of [...resolved.layers].reverse()) {
    budget -= layer.size;
    if (budget < 0) {
      throw new BenchtopError('LOCKFILE_MISSING', `${path} was not in the top ${REGISTRY_BUDGET_BYTES / 2 ** 20} MiB of ${image}'s layers, so Benchtop stopped looking.`,
        `Pull the image (\`benchtop pull ${image}\`) and pin again: the local copy is read directly.`);
    }
    const response = await registry.blob(image, layer.digest);
    if (!response.body) continue;
    const verdict = await searchLayer(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), wanted, layer.digest);
    if (verdict && 'found' in verdict) return verdict.found;
    if (verdict) return undefined;
  }
  return undefined;
}
