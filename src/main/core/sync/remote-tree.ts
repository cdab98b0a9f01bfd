import type Docker from 'dockerode';
import { once } from 'node:events';
import { extract as tarExtract, pack as tarPack, type Header, type Pack } from 'tar-stream';
import { BenchtopError } from '../errors';
import { execOk } from './container-exec';
import { REMOTE_APPLY_SCRIPT } from './remote-apply-script';
import { withScopedSignal } from './scoped-signal';
import { LOCKFILE_REL, STAGING_DIR, type FileEntry, type Tree } from './tree';

/** Where every analysis image keeps notebooks; the project's volume is mounted here. */
export const NOTEBOOKS_ROOT = '/home/analyst/work';

/** Stay far below Linux's per-exec argument limits when passing many paths. */
const ARG_BYTES_PER_EXEC = 96 * 1024;

export interface RemoteScan {
  tree: Tree;
  /** Owner of the notebooks root: staged files are written as this uid:gid so Jupyter can edit them. */
  owner: [number, number];
}

/** A file to send up: where it is staged in the volume, how big it is, and how to read it. */
export interface UploadItem {
  rel: string;
  size: number;
  mode: number;
  open(): NodeJS.ReadableStream | undefined;
}

export interface ApplyPlan {
  links: string[];
  renames: [string, string, [number, string]][];
  deletes: [string, [number, string]][];
  rmdirs: string[];
  mkdirs: string[];
  moves: [string, [number, string] | null, boolean][];
}

export interface ApplyReport {
  /** New [size, mtime] of each path placed or renamed; null for removed; 'dir' for created folders. */
  done: Record<string, [number, string] | null | 'dir'>;
  skipped: string[];
  /** [size, mtime] of each download snapshot when it was taken (null when the file was gone). */
  linked: ([number, string] | null)[];
}

/**
 * The volume's side of a sync, reached through a running container that mounts it (the session, or
 * a short-lived helper). Every step is one engine request: one find, one sha256sum per batch, one
 * putArchive, one python3 run, one getArchive.
 */
export class RemoteTree {
  constructor(
    readonly container: Docker.Container,
    readonly root = NOTEBOOKS_ROOT,
  ) {}

  /** One `find` lists everything with size, mtime and mode; leftovers of an interrupted sync go first. */
  async scan(signal?: AbortSignal): Promise<RemoteScan> {
    const script = 'rm -rf "$1/.benchtop-sync" && find "$1" -maxdepth 0 -printf "%U %G\\0" && ' +
      'find "$1" -mindepth 1 \\( -name .ipynb_checkpoints -o -name .benchtop-sync -o -name "*.benchtop-tmp-*" \\) -prune ' +
      '-o \\( -type f -o -type d \\) -printf "%y %s %T@ %m %P\\0"';
    const out = await execOk(this.container, ['sh', '-c', script, 'sh', this.root], 'Listing the notebooks volume', signal);
    const records = out.toString('utf8').split('\0');
    const [uid, gid] = (records.shift() ?? '0 0').split(' ').map(Number);
    const tree: Tree = new Map();
    for (const record of records) {
      if (!record) continue;
      const match = /^([fd]) (\d+) (\d+)(?:\.(\d+))? ([0-7]+) (.*)$/s.exec(record);
      if (!match) continue;
      const [, kind, size, seconds, fraction, mode, rel] = match;
      if (rel === '.benchtop' || (rel.startsWith('.benchtop/') && rel !== LOCKFILE_REL)) continue;
      if (kind === 'd') tree.set(rel, { type: 'dir' });
      else tree.set(rel, { type: 'file', size: Number(size), mtime: toNanos(seconds, fraction), mode: parseInt(mode, 8) });
    }
    return { tree, owner: [uid, gid] };
  }

  /** Hashes the given files in as few sha256sum runs as the argument limit allows. */
  async hash(tree: Tree, rels: string[], signal?: AbortSignal): Promise<void> {
    for (const batch of batches(rels)) {
      const out = await execOk(this.container, ['sh', '-c', 'cd "$1" && shift && exec sha256sum -z -- "$@"', 'sh', this.root, ...batch],
        'Hashing changed files in the volume', signal);
      for (const line of out.toString('utf8').split('\0')) {
        if (line.length < 67) continue;
        const entry = tree.get(line.slice(66));
        if (entry?.type === 'file') entry.sha256 = line.slice(0, 64);
      }
    }
  }

  /**
   * Sends the plan and every upload in one tar into a staging folder inside the volume, then lets
   * the apply script put them in place. Nothing outside the staging folder changes until the whole
   * tar has arrived, so a cut connection leaves the volume as it was.
   */
  async apply(stageId: string, plan: ApplyPlan, uploads: UploadItem[], owner: [number, number], onBytes: (n: number) => void, signal?: AbortSignal): Promise<ApplyReport> {
    const stage = `${STAGING_DIR}/${stageId}`;
    await withScopedSignal(signal, (scoped) => this.#send(stage, plan, uploads, owner, onBytes, scoped));
    const out = await execOk(this.container, ['python3', '-S', '-c', REMOTE_APPLY_SCRIPT, this.root, `${this.root}/${stage}`], 'Placing synced files in the volume', signal);
    try {
      return JSON.parse(out.toString('utf8')) as ApplyReport;
    } catch {
      throw new BenchtopError('SYNC_FAILED', `The volume's apply step answered something unreadable: ${out.toString('utf8').slice(0, 200)}`,
        'Nothing was lost; run the sync again. If it keeps failing, the image may lack python3.');
    }
  }

  async #send(stage: string, plan: ApplyPlan, uploads: UploadItem[], owner: [number, number], onBytes: (n: number) => void, signal?: AbortSignal): Promise<void> {
    const pack = tarPack();
    // A destroyed pack never drains again: stop waiting for it (and stop reading files) when it closes.
    const closed = new AbortController();
    pack.on('close', () => closed.abort());
    // A cut request destroys the pack through pipe(); the failure is reported by putArchive itself.
    pack.on('error', () => undefined);
    const common = { uid: owner[0], gid: owner[1], mtime: new Date() };
    // Cancelling destroys the tar, which makes the engine request fail (no signal is handed to
    // dockerode: see scoped-signal.ts for why that crashes on responses it already finished).
    const cut = () => pack.destroy(new DOMException('The sync was cancelled.', 'AbortError'));
    signal?.addEventListener('abort', cut, { once: true });
    const sending = this.container.putArchive(pack as unknown as NodeJS.ReadableStream, { path: this.root });
    const writing = (async () => {
      const planJson = Buffer.from(JSON.stringify({ ...plan, owner }), 'utf8');
      await addEntry(pack, { ...common, name: `${stage}/plan.json`, size: planJson.length, mode: 0o600 }, planJson, closed.signal);
      for (const item of uploads) {
        const source = item.size > 0 ? item.open() : undefined;
        if (source) source.on('data', (chunk: Buffer) => onBytes(chunk.length));
        await addEntry(pack, { ...common, name: `${stage}/up/${item.rel}`, size: item.size, mode: item.mode & 0o777 }, source, closed.signal);
      }
      pack.finalize();
    })();
    // Whichever side fails first (the engine refusing, a file unreadable) stops the other.
    writing.catch(() => pack.destroy());
    try {
      await Promise.all([sending, writing]);
    } catch (error) {
      pack.destroy();
      signal?.throwIfAborted();
      throw error;
    } finally {
      signal?.removeEventListener('abort', cut);
    }
  }

  /** Streams the snapshots the apply step linked under `down/`, in link order, to `receive`. */
  fetch(stageId: string, receive: (index: number, header: Header, content: AsyncIterable<Uint8Array>) => Promise<void>, signal?: AbortSignal): Promise<void> {
    return withScopedSignal(signal, (scoped) => this.#fetch(stageId, receive, scoped));
  }

  async #fetch(stageId: string, receive: (index: number, header: Header, content: AsyncIterable<Uint8Array>) => Promise<void>, signal?: AbortSignal): Promise<void> {
    const archive = await this.container.getArchive({ path: `${this.root}/${STAGING_DIR}/${stageId}/down` });
    const extract = tarExtract();
    const cut = () => (archive as NodeJS.ReadableStream & { destroy(error: Error): void }).destroy(new DOMException('The sync was cancelled.', 'AbortError'));
    if (signal?.aborted) cut();
    signal?.addEventListener('abort', cut, { once: true });
    archive.on('error', (error: Error) => extract.destroy(error));
    archive.pipe(extract as unknown as NodeJS.WritableStream);
    for await (const entry of extract) {
      const match = /^down\/(\d+)$/.exec(entry.header.name);
      if (match && entry.header.type === 'file') await receive(Number(match[1]), entry.header, entry as unknown as AsyncIterable<Uint8Array>);
      else entry.resume();
    }
    signal?.removeEventListener('abort', cut);
    signal?.throwIfAborted();
  }

  /** Removes this sync's staging folder (the next scan removes any that an interruption left). */
  async cleanup(stageId: string): Promise<void> {
    await execOk(this.container, ['rm', '-rf', '--', `${this.root}/${STAGING_DIR}/${stageId}`], 'Cleaning up the staging folder');
  }
}

/** Adds one entry and waits until the pack has taken all of it (respecting backpressure). */
async function addEntry(pack: Pack, header: Partial<Header> & { name: string }, content: Buffer | NodeJS.ReadableStream | undefined, closed: AbortSignal): Promise<void> {
  let settle: (error?: Error | null) => void = () => undefined;
  const added = new Promise<void>((resolve, reject) => {
    settle = (error) => (error ? reject(error) : resolve());
  });
  if (!content || Buffer.isBuffer(content)) {
    pack.entry(header, content ?? Buffer.alloc(0), settle);
    return added;
  }
  // Failures surface once, through `added` or the loop below, whichever comes first.
  added.catch(() => undefined);
  const sink = pack.entry(header, settle);
  (sink as unknown as NodeJS.EventEmitter).on('error', () => undefined);
  try {
    for await (const chunk of content as AsyncIterable<Buffer>) {
      if (!sink.write(chunk)) await once(sink as unknown as NodeJS.EventEmitter, 'drain', { signal: closed });
    }
  } finally {
    (content as NodeJS.ReadableStream & { destroy(): void }).destroy();
  }
  (sink as unknown as NodeJS.WritableStream).end();
  return added;
}

/** `1700000000.1234567890` (find's %T@) as nanoseconds, the same number python's st_mtime_ns gives. */
export function toNanos(seconds: string, fraction = ''): string {
  return (BigInt(seconds) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0').slice(0, 9) || '0')).toString();
}

function* batches(rels: string[]): Generator<string[]> {
  let batch: string[] = [];
  let bytes = 0;
  for (const rel of rels) {
    const size = Buffer.byteLength(rel) + 1;
    if (batch.length > 0 && bytes + size > ARG_BYTES_PER_EXEC) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(rel);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}

export type { FileEntry };
