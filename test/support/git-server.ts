// The loopback git server of scripts/test-env/git-server.sh (git's dumb HTTP protocol over a static
// server on 127.0.0.1): tests publish a project folder there as a bare repository and get its URL.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const gitServerPath: string = fileURLToPath(new URL('../../.test-env/git-server.json', import.meta.url));

export interface GitServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** The folder it serves (bare repositories `<name>.git`). */
  root: string;
}

export function gitServer(): GitServer {
  if (!existsSync(gitServerPath)) throw new Error(`${gitServerPath} is missing: run bash scripts/test-env/git-server.sh (scripts/test-env.sh runs it)`);
  return JSON.parse(readFileSync(gitServerPath, 'utf8')) as GitServer;
}

const git = (args: string[], cwd?: string): string =>
  execFileSync('git', ['-c', 'user.name=benchtop-test', '-c', 'user.email=test@benchtop.invalid', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

export interface PublishedRepo {
  /** The clone URL, `http://127.0.0.1:PORT/<name>.git`. */
  url: string;
  name: string;
  /** The commit of `branch`. */
  commit: string;
  remove(): void;
}

/** Commits a copy of the folder `dir` (not a repository itself) on `branch` and serves it as `<name>.git` (a fresh unique name by default). */
export function publishRepo(dir: string, options: { name?: string; branch?: string } = {}): PublishedRepo {
  const server = gitServer();
  const name = options.name ?? `bt-link-${randomBytes(4).toString('hex')}`;
  const branch = options.branch ?? 'main';
  const work = mkdtempSync(join(tmpdir(), 'bt-git-work-'));
  execFileSync('cp', ['-a', `${dir}/.`, work]);
  git(['init', '-q', '-b', branch], work);
  git(['add', '-A'], work);
  git(['commit', '-q', '-m', 'project'], work);
  const bare = join(server.root, `${name}.git`);
  git(['clone', '-q', '--bare', '--', work, bare]);
  git(['update-server-info'], bare);
  const commit = git(['rev-parse', branch], bare).trim();
  rmSync(work, { recursive: true, force: true });
  return { url: `${server.url}/${name}.git`, name, commit, remove: () => rmSync(bare, { recursive: true, force: true }) };
}
