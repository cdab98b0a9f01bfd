import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { link, mkdir, open, readFile, rename, stat, unlink, utimes } from 'node:fs/promises';
import { BenchtopError, systemCode } from '../errors';

/** What a lock file says about its holder, so another process can tell a live holder from a dead one. */
export interface LockHolder {
  pid: number;
  /** The computer's name: a pid means something only on the computer that wrote it. */
  host: string;
  token: string;
  since: string;
  what: string;
}

export interface HeldLock {
  holder: LockHolder;
  release(): Promise<void>;
}

export interface LockOptions {
  /** How long to wait for a live holder before SYNC_BUSY. */
  waitMs?: number;
  /** A lock whose file was not refreshed for this long is stale even if its pid seems alive (pid reuse, a frozen process). */
  staleMs?: number;
  signal?: AbortSignal;
}

const POLL_MS = 100;

/**
 * One sync at a time per project and target, across processes (the app's watcher, `benchtop sync`
 * in a terminal, a second app): an exclusive-create lock file naming its holder, refreshed while
 * held. A holder that died (its pid is gone on this computer) or stopped refreshing is stale and
 * its lock is taken over; a live holder makes the caller wait up to `waitMs`, then SYNC_BUSY.
 */
export async function acquireSyncLock(file: string, what: string, options: LockOptions = {}): Promise<HeldLock> {
  const waitMs = options.waitMs ?? 0;
  const staleMs = options.staleMs ?? 60_000;
  const me: LockHolder = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex'), since: new Date().toISOString(), what };
  const dir = file.slice(0, Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')));
  await mkdir(dir, { recursive: true });
  const deadline = Date.now() + waitMs;
  for (;;) {
    options.signal?.throwIfAborted();
    if (await tryCreate(file, me)) return held(file, me, staleMs);
    const current = await readHolder(file);
    if (current === undefined) continue; // released between our create and read: try again at once
    if (await isStale(file, current, staleMs)) {
      await takeOver(file, current);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new BenchtopError('SYNC_BUSY', `Another sync of this project with the same target is running (${current.what}, process ${current.pid} on ${current.host}, since ${current.since}).`,
        'Wait for it to finish, then sync again. If that process is gone, the lock is taken over automatically within a minute.');
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Reads the holder of a lock file without taking it (undefined when nobody holds it or it is stale). */
export async function lockHolder(file: string, staleMs = 60_000): Promise<LockHolder | undefined> {
  const current = await readHolder(file);
  if (!current || (await isStale(file, current, staleMs))) return undefined;
  return current;
}

async function tryCreate(file: string, me: LockHolder): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'wx', 0o600);
  } catch (error) {
    if (systemCode(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    // Not fsynced: the lock guards running processes, and none survives a power cut. A holder torn
    // by one reads as "a sync starting" and goes stale after staleMs (see readHolder).
    await handle.writeFile(JSON.stringify(me));
  } finally {
    await handle.close();
  }
  return true;
}

async function readHolder(file: string): Promise<LockHolder | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid === 'number' && typeof parsed.token === 'string') {
      return { pid: parsed.pid, host: String(parsed.host ?? ''), token: parsed.token, since: String(parsed.since ?? ''), what: String(parsed.what ?? 'a sync') };
    }
  } catch (error) {
    if (systemCode(error) === 'ENOENT') return undefined;
    if (!(error instanceof SyntaxError)) throw error;
  }
  // Created but not written yet (its writer is between open and write), or torn by a crash at that
  // moment: the file's age tells which (see isStale).
  return { pid: -1, host: '', token: '', since: '', what: 'a sync starting' };
}

async function isStale(file: string, holder: LockHolder, staleMs: number): Promise<boolean> {
  let age: number;
  try {
    age = Date.now() - (await stat(file)).mtimeMs;
  } catch (error) {
    if (systemCode(error) === 'ENOENT') return false; // gone: the next create attempt wins or loses fairly
    throw error;
  }
  if (age > staleMs) return true;
  if (holder.pid > 0 && holder.host === hostname()) return !pidAlive(holder.pid);
  return false;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the pid exists but belongs to another user, so it is alive.
    return systemCode(error) === 'EPERM';
  }
}

/**
 * Moves the stale lock aside, and only if it is still the stale holder's: two processes taking
 * over at once must not remove the fresh lock the faster one just made.
 */
async function takeOver(file: string, stale: LockHolder): Promise<void> {
  const aside = `${file}.stale-${randomBytes(4).toString('hex')}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if (systemCode(error) === 'ENOENT') return;
    throw error;
  }
  const moved = await readHolder(aside);
  if (moved && moved.token !== stale.token) {
    // We moved a live lock someone made after our check: put it back unless a third one exists now.
    if (await tryLink(aside, file)) return unlink(aside);
  }
  await unlink(aside).catch((error: unknown) => {
    if (systemCode(error) !== 'ENOENT') throw error;
  });
}

async function tryLink(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch (error) {
    if (systemCode(error) === 'EEXIST') return false;
    throw error;
  }
}

function held(file: string, me: LockHolder, staleMs: number): HeldLock {
  // Refreshing the file's time keeps a long sync from looking stale.
  const timer = setInterval(() => {
    const now = new Date();
    void utimes(file, now, now).catch(() => undefined); // a failed refresh only risks a takeover after staleMs, which the holder's own release tolerates
  }, Math.max(1000, Math.floor(staleMs / 3)));
  timer.unref();
  let released = false;
  return {
    holder: me,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      // Only our own lock: after a takeover (we were frozen past staleMs) the file is someone else's.
      const current = await readHolder(file);
      if (current?.token === me.token) {
        await unlink(file).catch((error: unknown) => {
          if (systemCode(error) !== 'ENOENT') throw error;
        });
      }
    },
  };
}
