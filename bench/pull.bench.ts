/**
 * Cold pull from the loopback registry: an image of random layers (nothing of it on the engine),
 * pulled by digest through Benchtop (progress aggregation, disk check, digest verification) and by
 * `docker pull`, removed from the engine before every run. Goal: <= 1.05x.
 *
 *   node --import tsx bench/pull.bench.ts [runs] [MiB per layer] [layers]
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { testEnv } from '../test/support/env';
import { benchCore } from './support/project';
import { compare, report } from './support/timing';
import { deleteFromRegistry, pushUniqueImage, removeLocal } from './support/unique-image';

const run = promisify(execFile);
const docker = new Docker();
const runs = Number(process.argv[2] ?? 3);
const layerMiB = Number(process.argv[3] ?? 64);
const layers = Number(process.argv[4] ?? 4);

async function main(): Promise<void> {
  const env = testEnv();
  process.stderr.write(`building and pushing ${layers} x ${layerMiB} MiB of random layers to ${env.registry}…\n`);
  const image = await pushUniqueImage(docker, env.registry, `bench-pull-${Date.now().toString(36)}`, layers, layerMiB * 1024 * 1024);
  const core = benchCore();
  let op = 0;
  let events = 0;
  core.bus.on('pullProgress', () => (events += 1));
  try {
    const result = await compare(`Cold pull of ${layers} x ${layerMiB} MiB from ${env.registry} by digest`, {
      name: 'benchtop pull',
      reset: () => removeLocal(docker, image.ref),
      run: async () => {
        await core.sessions.pulls.pull('local', image.ref, core.ops.create(`bench-${op++}`));
      },
    }, {
      name: 'docker pull',
      reset: () => removeLocal(docker, image.ref),
      run: async () => {
        await run('docker', ['pull', '-q', image.ref]);
      },
    }, runs, 1.05, false);
    report(result, 'docker pull');
    process.stdout.write(`  progress events sent by Benchtop: ${(events / (runs)).toFixed(0)} per pull\n`);
  } finally {
    await removeLocal(docker, image.ref);
    await deleteFromRegistry(image);
    await core.close();
  }
}

await main();
