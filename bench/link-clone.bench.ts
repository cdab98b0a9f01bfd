/**
 * A benchtop://open link up to the project on disk: Benchtop's plan (parse, clone into the private
 * staging folder, read devcontainer.json and the team file) plus confirm (move into place) against a
 * plain `git clone` of the same repository from the same loopback git server
 * (scripts/test-env/git-server.sh). Goal: at most 1.3x the plain clone — the consent step adds one
 * project read and a rename, not a second clone.
 *
 *   node --import tsx bench/link-clone.bench.ts [runs]
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeCore, makeProject } from '../test/session/support';
import { publishRepo } from '../test/support/git-server';
import { compare, report } from './support/timing';

const run = promisify(execFile);
const runs = Number(process.argv[2] ?? 7);

async function main(): Promise<void> {
  const project = makeProject();
  const repo = publishRepo(project.dir);
  const parent = mkdtempSync(join(tmpdir(), 'bt-bench-link-'));
  const core = makeCore();
  const target = join(parent, repo.name);
  const plainTarget = join(parent, 'plain');
  try {
    const result = await compare(
      'benchtop://open link -> project cloned (plan + confirm) vs git clone',
      {
        name: 'benchtop',
        reset: async () => rmSync(target, { recursive: true, force: true }),
        run: async () => {
          const plan = await core.links.plan(`benchtop://open?repo=${repo.url}&ref=main`, { parentDir: parent });
          await core.links.confirm(plan.planId);
        },
      },
      {
        name: 'git clone',
        reset: async () => rmSync(plainTarget, { recursive: true, force: true }),
        run: async () => void (await run('git', ['clone', '--quiet', '--branch', 'main', '--', repo.url, plainTarget])),
      },
      runs,
      1.3,
    );
    report(result, 'git clone');
  } finally {
    await core.close();
    repo.remove();
    rmSync(parent, { recursive: true, force: true });
    rmSync(project.dir, { recursive: true, force: true });
  }
}

await main();
