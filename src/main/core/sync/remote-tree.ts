import type { ExecHost } from './exec-host';
import { extract as tarExtract, type Header } from 'tar-stream';
import { BenchtopError } from '../errors';
import { DONE_MARKER, DONE_MARKER_SH, execOk } from './container-exec';
import { withScopedSignal } from './scoped-signal';
import { agentRequest, prestartAgent } from './sync-agent';
import type { TrashEntry, TrashEntryRef } from '../../../shared/contract/hosts';
import { batchTime, TRASH_REL, type TrashKind } from './trash';
import { LOCKFILE_REL, STAGING_DIR, type FileEntry, type Tree } from './tree';

/** Where every analysis image keeps notebooks; the project's volume is mounted here. */
export const NOTEBOOKS_ROOT = '/home/analyst/work';

/** The listing runs as root (it reads everything, and writes nothing but stale staging folders' removal). */
const ROOT_USER = '0:0';

/**
 * Small files are read whole, several ahead of the upload: one at a time, each file's open, read and
 * close wait on the disk and the event loop in turn, which on a busy machine cost more than sending
 * it. The window bounds memory (UPLOAD_AHEAD files of at most SMALL_FILE bytes).
 */
export const SMALL_FILE = 1024 * 1024;
const UPLOAD_AHEAD = 16;
/**
 * The scan hashes changed files up to this size in the same run; bigger ones are hashed by a
 * command of their own, and only when the sync needs to compare them.
 */
const SCAN_HASH_LIMIT = 4 * 1024 * 1024;

/** What the apply script's stdin starts and ends with (remote-apply-script.ts). */
const APPLY_INPUT_HEAD = Buffer.from('BTSYNC1\n', 'latin1');
const APPLY_INPUT_END = Buffer.from('BTEND\n', 'latin1');

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
  /** Streams the file (large files). */
  open(): NodeJS.ReadableStream | undefined;
  /** Reads the file whole, exactly `size` bytes (files up to SMALL_FILE): read ahead of the tar. */
  load?(): Promise<Buffer>;
}

export interface ApplyPlan {
  /** The trash batch for what this sync deletes or overwrites in the volume. */
  batch: string;
  /** Now, and how long kept versions stay (the apply step expires older ones). */
  now: number;
  keepMs: number;
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
  /** Paths refused because a folder in them is a link (or not a folder), with why. */
  unsafe?: Record<string, string>;
}

/**
 * The volume's side of a sync, reached through a running container that mounts it (the session, or
 * a short-lived helper). The listing, hashing and applying are requests to the container's sync
 * helper processes (sync-agent.ts), kept open between syncs: after the first sync through a
 * container they cost no engine request at all. Downloads are one getArchive. Each script prints a
 * done marker last, so a complete answer is told from one cut short.
 */
export class RemoteTree {
  /** `uid:gid` owning the volume's root, learnt by the scan: every step that writes runs as it. */
  #user = '';

  constructor(
    readonly container: ExecHost,
    readonly root = NOTEBOOKS_ROOT,
  ) {}

  get user(): string {
    if (!this.#user) throw new Error('RemoteTree: scan() or learnOwner() first, they learn whom the volume belongs to');
    return this.#user;
  }

  /** Starts the helper process that lists the volume, ahead of the scan (see prestartAgent). */
  prestart(): void {
    prestartAgent(this.container, ROOT_USER);
  }

  /** Learns whom the volume's root belongs to, for the steps that run as that owner. */
  async learnOwner(signal?: AbortSignal): Promise<void> {
    const out = await execOk(this.container, ['sh', '-c', `find "$1" -maxdepth 0 -printf "%U %G" && ${DONE_MARKER_SH}`, 'sh', this.root], 'Reading the volume owner', signal, undefined, DONE_MARKER);
    this.#setOwner(out.toString('utf8'));
  }

  #setOwner(record: string): [number, number] {
    const [uid, gid] = record.split(' ').map(Number);
    if (!uid) {
      throw new BenchtopError('SYNC_FAILED', `The notebooks volume's root (${this.root}) belongs to root, and Benchtop never writes into a volume as root.`,
        "Make the image's user own it (`chown 1000:1000` it from a container of the image), then sync again.");
    }
    this.#user = `${uid}:${gid}`;
    return [uid, gid];
  }

  /**
   * Lists everything with size, mtime and mode, in one python3 run (remote-scan-script.ts), which
   * also removes stale staging folders and hashes small files whose stamp is not in `known` (the
   * stamps whose content the caller already knows): their entries come with sha256 set.
   */
  async scan(signal?: AbortSignal, known: Record<string, [number, string][]> = {}): Promise<RemoteScan> {
    const input = async (send: (bytes: Uint8Array) => Promise<void>) => send(Buffer.from(JSON.stringify(known), 'utf8'));
    const out = doneOutput(await agentRequest(this.container, ROOT_USER, 'scan', [this.root, String(SCAN_HASH_LIMIT)], 'Listing the notebooks volume', { input, signal, repeatable: true }));
    const records = out.toString('utf8').split('\0');
    const [uid, gid] = this.#setOwner(records.shift() ?? '0 0');
    const tree: Tree = new Map();
    for (const record of records) {
      if (!record) continue;
      const match = /^([fd]) (\d+) (\d+(?::\d+)?) ([0-7]+) ([0-9a-f]{64}|-) (.*)$/s.exec(record);
      if (!match) throw new BenchtopError('SYNC_FAILED', `The listing of ${this.root} on the other side has a line Benchtop cannot read: ${JSON.stringify(record.slice(0, 120))}.`, 'Sync again; if it repeats, send the diagnostics (Settings → Copy diagnostics).');
      const [, kind, size, mtime, mode, sha256, rel] = match;
      if (rel === '.benchtop' || (rel.startsWith('.benchtop/') && rel !== LOCKFILE_REL)) continue;
      if (kind === 'd') tree.set(rel, { type: 'dir' });
      else tree.set(rel, { type: 'file', size: Number(size), mtime, mode: parseInt(mode, 8), ...(sha256 === '-' ? {} : { sha256 }) });
    }
    return { tree, owner: [uid, gid] };
  }

  /** Hashes the given files, as the volume's owner, in one request to the helper process. */
  async hash(tree: Tree, rels: string[], signal?: AbortSignal): Promise<void> {
    {
      const out = doneOutput(await agentRequest(this.container, this.user, 'hash', [this.root, ...rels], 'Hashing changed files in the volume', { signal, repeatable: true }));
      for (const line of out.toString('utf8').split('\0')) {
        if (line.length < 67) continue;
        const entry = tree.get(line.slice(66));
        if (entry?.type === 'file') entry.sha256 = line.slice(0, 64);
      }
    }
  }

  /**
   * Runs the apply script once, feeding it the plan and every upload on its stdin (see
   * remote-apply-script.ts for the layout). The script writes the uploads into a staging folder
   * inside the volume, as the volume's owner, and changes nothing outside it until the end marker
   * has arrived: a cut connection or a killed sync leaves the volume as it was (the next scan removes
   * the staging folder). One exec carries the whole upload: no separate archive request.
   */
  async apply(stageId: string, plan: ApplyPlan, uploads: UploadItem[], onBytes: (n: number) => void, signal?: AbortSignal): Promise<ApplyReport> {
    const stage = `${STAGING_DIR}/${stageId}`;
    const planJson = Buffer.from(JSON.stringify({ ...plan, files: uploads.map((u) => [u.size, u.mode & 0o777]) }), 'utf8');
    const length = Buffer.alloc(8);
    length.writeBigUInt64BE(BigInt(planJson.length));
    const input = async (send: (bytes: Uint8Array) => Promise<void>) => {
      await send(Buffer.concat([APPLY_INPUT_HEAD, length, planJson]));
      const ahead = readAhead(uploads);
      for (const [index, item] of uploads.entries()) {
        const loaded = ahead(index);
        if (loaded) {
          const content = await loaded;
          await send(content);
          onBytes(content.length);
          continue;
        }
        const source = item.size > 0 ? item.open() : undefined;
        if (!source) continue;
        let sent = 0;
        try {
          for await (const chunk of source as AsyncIterable<Buffer>) {
            sent += chunk.length;
            await send(chunk);
            onBytes(chunk.length);
          }
        } finally {
          (source as NodeJS.ReadableStream & { destroy(): void }).destroy();
        }
        if (sent !== item.size) throw new Error(`${item.rel} got shorter while it was being sent (${sent} of ${item.size} bytes)`);
      }
      await send(APPLY_INPUT_END);
    };
    const out = doneOutput(await agentRequest(this.container, this.user, 'apply', [this.root, stage], 'Placing synced files in the volume', { input, signal }));
    try {
      return JSON.parse(out.toString('utf8')) as ApplyReport;
    } catch {
      throw new BenchtopError('SYNC_FAILED', `The volume's apply step answered something unreadable: ${out.toString('utf8').slice(0, 200)}`,
        'Nothing was lost; run the sync again. If it keeps failing, the image may lack python3.');
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
    await execOk(this.container, ['rm', '-rf', '--', `${this.root}/${STAGING_DIR}/${stageId}`], 'Cleaning up the staging folder', undefined, this.user);
  }

  /** The versions kept in the volume's trash (`where` is the target's id). */
  async trashList(where: string, signal?: AbortSignal): Promise<TrashEntry[]> {
    const out = await execOk(this.container, ['sh', '-c', 'test -d "$1" || exit 0; cd "$1" && find . -mindepth 3 -type f -printf "%s %P\\0"', 'sh', `${this.root}/${TRASH_REL}`],
      "Listing the volume's trash", signal, this.user);
    const entries: TrashEntry[] = [];
    for (const record of out.toString('utf8').split('\0')) {
      const match = /^(\d+) ([^/]+)\/(deleted|replaced)\/(.+)$/s.exec(record);
      const at = match ? batchTime(match[2]) : undefined;
      if (!match || at === undefined) continue;
      entries.push({ where, batch: match[2], kind: match[3] as TrashKind, path: match[4], removedAt: new Date(at).toISOString(), size: Number(match[1]) });
    }
    return entries;
  }

  /** Streams one kept version out of the volume's trash (the reference is checked by the caller). */
  async trashRead(entry: TrashEntryRef, receive: (header: Header, content: AsyncIterable<Uint8Array>) => Promise<void>): Promise<boolean> {
    let archive: NodeJS.ReadableStream;
    try {
      archive = await this.container.getArchive({ path: `${this.root}/${TRASH_REL}/${entry.batch}/${entry.kind}/${entry.path}` });
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return false;
      throw error;
    }
    const extract = tarExtract();
    archive.on('error', (error: Error) => extract.destroy(error));
    archive.pipe(extract as unknown as NodeJS.WritableStream);
    let found = false;
    for await (const item of extract) {
      if (!found && item.header.type === 'file') {
        found = true;
        await receive(item.header, item as unknown as AsyncIterable<Uint8Array>);
      } else item.resume();
    }
    return found;
  }

  /** Forgets one kept version in the volume (after it was restored). */
  async trashDrop(entry: TrashEntryRef): Promise<void> {
    await execOk(this.container, ['rm', '-f', '--', `${this.root}/${TRASH_REL}/${entry.batch}/${entry.kind}/${entry.path}`], 'Removing a restored version from the trash', undefined, this.user);
  }
}

/**
 * Starts reading small uploads a few ahead of the one being sent; `ahead(i)` is item i's content
 * (undefined for files that are streamed instead). Reads that fail are reported when their turn comes.
 */
function readAhead(uploads: UploadItem[]): (index: number) => Promise<Buffer> | undefined {
  const started = new Map<number, Promise<Buffer>>();
  let next = 0;
  const start = (upTo: number) => {
    for (; next < uploads.length && next <= upTo; next += 1) {
      const item = uploads[next];
      if (!item.load || item.size <= 0 || item.size > SMALL_FILE) continue;
      const reading = item.load();
      reading.catch(() => undefined); // awaited (and its error thrown) when the tar reaches this file
      started.set(next, reading);
    }
  };
  return (index) => {
    start(index + UPLOAD_AHEAD);
    const reading = started.get(index);
    started.delete(index);
    return reading;
  };
}

/** A script's output without its done marker; SYNC_FAILED when the marker is missing (it did not finish). */
function doneOutput(out: Buffer): Buffer {
  if (out.subarray(-DONE_MARKER.length).toString('latin1') !== DONE_MARKER) {
    throw new BenchtopError('SYNC_FAILED', `The sync helper in the container gave an incomplete answer: ${out.subarray(-200).toString('utf8')}`,
      'Nothing was lost: the next sync starts over from what both sides hold.');
  }
  return out.subarray(0, out.length - DONE_MARKER.length);
}

export type { FileEntry };
