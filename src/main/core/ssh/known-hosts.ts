import { createHash, createHmac } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** One key line of a known_hosts file (markers such as @revoked are kept so they can be honoured). */
export interface KnownHostEntry {
  /** `host`, `[host]:port`, patterns, or a hashed `|1|salt|hash` name; comma-separated. */
  names: string;
  marker?: '@revoked' | '@cert-authority';
  keyType: string;
  /** The key blob, base64 as in the file. */
  keyBase64: string;
  line: number;
  /** The file the line is in (set when several files are read). */
  file?: string;
}

/** How a presented key compares with what known_hosts says about that host. */
export type HostKeyVerdict =
  | { state: 'trusted' }
  | { state: 'unknown' }
  | { state: 'changed'; knownFingerprints: string[]; line: number; file?: string }
  | { state: 'revoked'; line: number; file?: string };

/** `SHA256:<base64 without padding>`, exactly as `ssh-keygen -l` and OpenSSH's warnings print it. */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type is the first SSH string inside the blob (`ssh-ed25519`, `ecdsa-sha2-nistp256`…). */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const length = keyBlob.readUInt32BE(0);
  return length > 0 && length < 64 && keyBlob.length >= 4 + length ? keyBlob.subarray(4, 4 + length).toString('latin1') : 'unknown';
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') marker = fields.shift() as KnownHostEntry['marker'];
    if (fields.length < 3) return;
    entries.push({ names: fields[0], marker, keyType: fields[1], keyBase64: fields[2], line: index + 1 });
  });
  return entries;
}

/** The name OpenSSH looks up: plain `host` on port 22, `[host]:port` elsewhere. */
export function hostLookupName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

/** Hashed names are HMAC-SHA1(salt, name); comparing needs the salt from the entry itself. */
function hashedNameMatches(hashed: string, name: string): boolean {
  const [, kind, salt, hash] = hashed.split('|');
  if (kind !== '1' || !salt || !hash) return false;
  return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
}

/** Whether an entry's name list covers this host (wildcards and `!negations` as in sshd(8)). */
export function entryMatches(entry: KnownHostEntry, host: string, port: number): boolean {
  const name = hostLookupName(host, port);
  if (entry.names.startsWith('|')) return hashedNameMatches(entry.names, name);
  let matched = false;
  for (const pattern of entry.names.split(',')) {
    const negated = pattern.startsWith('!');
    const glob = negated ? pattern.slice(1) : pattern;
    if (globToRegExp(glob).test(name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** Compares the key a host presented with the host's known_hosts entries. */
export function verifyHostKey(entries: KnownHostEntry[], host: string, port: number, keyBlob: Buffer): HostKeyVerdict {
  const presented = keyBlob.toString('base64');
  const forHost = entries.filter((e) => e.marker !== '@cert-authority' && entryMatches(e, host, port));
  const revoked = entries.find((e) => e.marker === '@revoked' && e.keyBase64 === presented);
  if (revoked) return { state: 'revoked', line: revoked.line, file: revoked.file };
  const plain = forHost.filter((e) => !e.marker);
  if (plain.some((e) => e.keyBase64 === presented)) return { state: 'trusted' };
  // Like OpenSSH, only a known key of the same type counts as "changed"; a host that merely offers
  // another algorithm than the one on file is unknown for that algorithm, not an attack.
  const type = keyTypeOf(keyBlob);
  const sameType = plain.filter((e) => e.keyType === type);
  if (sameType.length === 0) return { state: 'unknown' };
  return {
    state: 'changed',
    knownFingerprints: sameType.map((e) => fingerprintOf(Buffer.from(e.keyBase64, 'base64'))),
    line: sameType[0].line,
    file: sameType[0].file,
  };
}

/** The host key algorithms to ask for first, so a host with several keys presents the one on file. */
export function knownKeyTypes(entries: KnownHostEntry[], host: string, port: number): string[] {
  return [...new Set(entries.filter((e) => !e.marker && entryMatches(e, host, port)).map((e) => e.keyType))];
}

export async function readKnownHosts(path: string): Promise<KnownHostEntry[]> {
  try {
    return parseKnownHosts(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Reads several known_hosts files as one list, like ssh(1) reads UserKnownHostsFile and
 * GlobalKnownHostsFile together; each entry remembers its file for messages. Missing files are empty.
 */
export async function readKnownHostsFiles(paths: readonly string[]): Promise<KnownHostEntry[]> {
  const lists = await Promise.all([...new Set(paths)].map(async (file) => (await readKnownHosts(file)).map((e) => ({ ...e, file }))));
  return lists.flat();
}

/**
 * Appends one plain line for the host (`host` or `[host]:port`), the form ssh(1) reads whether or
 * not HashKnownHosts is on, so the user can see and remove it (`ssh-keygen -R`).
 */
export async function appendKnownHost(path: string, host: string, port: number, keyBlob: Buffer): Promise<string> {
  const written = hostLookupName(host, port);
  const line = `${written} ${keyTypeOf(keyBlob)} ${keyBlob.toString('base64')}`;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  let prefix = '';
  try {
    const current = await readFile(path, 'utf8');
    if (current.length > 0 && !current.endsWith('\n')) prefix = '\n';
  } catch {
    // a new file
  }
  await appendFile(path, `${prefix}${line}\n`, { mode: 0o600 });
  return line;
}
