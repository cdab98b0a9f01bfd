import { createHash } from 'node:crypto';
import { BenchtopError } from '../errors';

/** One pinned distribution of a pip-freeze lockfile. */
export interface LockedPackage {
  /** As written, e.g. `Jinja2`. */
  name: string;
  /** PEP 503 normalized, for comparing (`jinja2`, `typing-extensions`). */
  key: string;
  /** The version (`==`/`===`), or the direct URL of `name @ url`. */
  version: string;
  line: number;
}

/** PEP 503: names compare case-insensitively with runs of `-_.` folded to `-`. */
export function canonicalName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

const NAME = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?';
const PINNED = new RegExp(`^(${NAME})(?:\\[[^\\]]*\\])?\\s*={2,3}\\s*([A-Za-z0-9!+._*-]+)(?:\\s*;.*)?$`);
const DIRECT = new RegExp(`^(${NAME})(?:\\[[^\\]]*\\])?\\s+@\\s+(\\S+)(?:\\s*;.*)?$`);

/**
 * Reads a pip-freeze style lockfile (`name==version` per line, `#` comments, blank lines; also what
 * pip-compile writes: `--hash` options and `\` continuations). Anything else is LOCKFILE_INVALID
 * naming the line, because a lockfile Benchtop half-understands would make every comparison wrong.
 */
export function parseLockfile(text: string, file = 'environment.lock'): LockedPackage[] {
  const packages: LockedPackage[] = [];
  const seen = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i += 1) {
    const number = i + 1;
    let line = lines[i];
    // Join `\` continuations (pip-compile puts --hash options on the following lines).
    while (line.trimEnd().endsWith('\\') && i + 1 < lines.length) {
      line = `${line.trimEnd().slice(0, -1)} ${lines[++i]}`;
    }
    line = line.replace(/(^|\s)#.*$/, '').replace(/\s--hash[= ]\S+/g, '').trim();
    if (!line) continue;
    if (line.startsWith('-')) {
      // Index options (--index-url, -f …) do not pin anything; editable installs cannot be reproduced.
      if (/^(-e|--editable)\b/.test(line)) {
        throw new BenchtopError('LOCKFILE_INVALID', `${file}:${number}: an editable install ("${line}") cannot be locked.`,
          'Install the package normally and regenerate the lockfile with `python3 -m pip list --format=freeze`.');
      }
      continue;
    }
    const match = PINNED.exec(line) ?? DIRECT.exec(line);
    if (!match) {
      throw new BenchtopError('LOCKFILE_INVALID', `${file}:${number}: "${lines[i].trim().slice(0, 80)}" is not a "name==version" line.`,
        'Each line pins one package as name==version; comments start with #. Regenerate it with `python3 -m pip list --format=freeze`.');
    }
    const key = canonicalName(match[1]);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new BenchtopError('LOCKFILE_INVALID', `${file}:${number}: ${match[1]} is pinned twice (also on line ${earlier}).`,
        'Keep one line per package.');
    }
    seen.set(key, number);
    packages.push({ name: match[1], key, version: match[2], line: number });
  }
  return packages;
}

/** sha256 hex of the file's bytes, the value images carry in `dev.benchtop.lockfile.sha256`. */
export function lockfileSha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}
