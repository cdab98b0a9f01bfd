import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** This install's key for its cloud VMs: made once, kept next to the settings (0600), put in each VM's metadata. */
export interface CloudSshKey {
  privateKeyPath: string;
  /** `ssh-ed25519 AAAA… comment`, as it goes into `ssh-keys` metadata after `user:`. */
  publicKey: string;
}

export async function cloudSshKey(dataDir: string, comment: string): Promise<CloudSshKey> {
  const dir = join(dataDir, 'cloud');
  const privateKeyPath = join(dir, 'id_ed25519');
  try {
    const publicKey = (await readFile(`${privateKeyPath}.pub`, 'utf8')).trim();
    await readFile(privateKeyPath);
    return { privateKeyPath, publicKey };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // ssh2 is CommonJS: its `utils` is on the default export when loaded as ESM.
  const ssh2 = await import('ssh2');
  const utils = ssh2.utils ?? (ssh2 as unknown as { default: typeof ssh2 }).default.utils;
  const pair = utils.generateKeyPairSync('ed25519', { comment });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(privateKeyPath, pair.private, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    // Another process made it first: use theirs.
    if (error.code !== 'EEXIST') throw error;
  });
  await chmod(privateKeyPath, 0o600);
  const publicKey = pair.public.trim();
  await writeFile(`${privateKeyPath}.pub`, `${publicKey}\n`, { mode: 0o644, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return { privateKeyPath, publicKey: (await readFile(`${privateKeyPath}.pub`, 'utf8')).trim() };
}
