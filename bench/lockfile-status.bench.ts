/**
 * "Does my project's lockfile match the pinned image?" for the test project pinned to the analysis
 * image (present on the engine):
 *   - Benchtop: `lockfiles.status` (reads devcontainer.json, parses and hashes the lockfile, reads the
 *     image's label through the engine), on a warm Core as in the app;
 *   - plain: `docker image inspect --format '{{index .Config.Labels …}}'` and `sha256sum`.
 * Goal: <= 1.0x.
 *
 *   node --import tsx bench/lockfile-status.bench.ts [runs]
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { makeProject } from '../test/support/fixture-project';
import { benchCore } from './support/project';
import { compare, report } from './support/timing';

const run = promisify(execFile);
const runs = Number(process.argv[2] ?? 9);

async function main(): Promise<void> {
  const project = await makeProject();
  const core = benchCore();
  let state = '';
  const result = await compare(
    'lockfile status: project lockfile vs the pinned image\'s label',
    { name: 'benchtop', run: async () => void (state = (await core.lockfiles.status(project.dir)).state) },
    {
      name: 'docker inspect + sha256sum',
      run: async () => {
        const [label, sum] = await Promise.all([
          run('docker', ['image', 'inspect', '--format', '{{index .Config.Labels "dev.benchtop.lockfile.sha256"}}', project.image]),
          run('sha256sum', [project.lockfilePath]),
        ]);
        if (label.stdout.trim() !== sum.stdout.split(' ')[0]) throw new Error('the plain side found a mismatch');
      },
    },
    runs,
    1.0,
  );
  if (state !== 'match') throw new Error(`Benchtop said ${state}`);
  report(result, 'docker inspect + sha256sum');
  await core.close();
  await project.cleanup();
}

await main();
