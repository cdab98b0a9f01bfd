import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces `file` so that after a crash at any moment it holds either the whole old content or the
 * whole new one: write a temp file in the same folder, fsync it, rename it over, fsync the folder
 * (without that last step the rename itself can be lost on power failure).
 */
export async function writeFileAtomic(file: string, content: string | Uint8Array, mode = 0o600): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}-${randomBytes(3).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined); // as below: the write's own error is the one to report
    await unlink(temp).catch(() => undefined); // the write already failed; that error is the one to report
    throw error;
  } finally {
    await handle.close().catch(() => undefined); // closed above on failure; a second close is a no-op error
  }
  await rename(temp, file);
  await fsyncDir(dirname(file));
}

/** Makes a folder's entries (a rename, a new file) durable. Some platforms cannot open a folder: skipped there. */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return; // Windows cannot fsync a directory handle; NTFS journals the rename
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
