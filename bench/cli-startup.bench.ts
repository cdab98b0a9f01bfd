/**
 * `benchtop` start-up: a new CLI process (node start-up, module loading, settings, the engine
 * connection) against the plain `docker` commands that answer the same questions:
 *   - `benchtop --version`      vs `docker --version`              (nothing but start-up)
 *   - `benchtop engine --json`  vs `docker version` + `docker info` (one engine round trip each)
 *   - `benchtop check --json`   vs the plain tools a person runs for the same answers, one after
 *     another: `docker version`, `docker info`, `nvidia-smi --query-gpu…`, `df`, `nproc`, `free`
 * Goal (issue 14): `engine` and `check` each at most 1.5x the plain side, by loading less at start-up.
 * A bare `node -e 0`, timed before each Benchtop run, is printed as well: the floor no Node CLI gets
 * under (alone about 4x `docker --version`, a static Go binary), with each Benchtop median over that
 * floor, and whether the goal lies below it (then no start-up work can meet it).
 * `bin/benchtop.js` answers `--version`, `engine` and `check` from its CommonJS start-up front
 * (src/cli/fast.ts); other commands load the split ES module bundle.
 * Builds the CLI bundle first, so the figures are those of the source as it is now.
 *
 *   node --import tsx bench/cli-startup.bench.ts [runs]
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { NVIDIA_SMI_ARGS } from '../src/main/core/gpu/nvidia-smi';
import { compare, median, report, timed, type Comparison } from './support/timing';

const run = promisify(execFile);
const runs = Number(process.argv[2] ?? 11);
const root = new URL('..', import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), 'bt-bench-cli-'));
const env = { ...process.env, BENCHTOP_HOME: home, BENCHTOP_BROWSER: 'none' };

/** One `benchtop` process; exit 1 (`check`: a check failed) still counts as a full run. */
async function benchtop(...args: string[]): Promise<void> {
  await run(process.execPath, [join(root, 'bin/benchtop.js'), ...args], { env, cwd: home }).catch((error: { code?: number }) => {
    if (error.code !== 1) throw error;
  });
}

async function docker(...args: string[]): Promise<void> {
  await run('docker', args, { env });
}

/** What `check` answers without a project, by hand (as bench/machine-check.bench.ts does it). */
async function plainTools(): Promise<void> {
  const quiet = (file: string, args: string[]) => run(file, args, { env, timeout: 5000 }).catch(() => undefined);
  await quiet('docker', ['version', '--format', '{{.Server.Version}} {{.Server.APIVersion}}']);
  await quiet('docker', ['info', '--format', '{{.Driver}} {{.DockerRootDir}} {{.NCPU}} {{.MemTotal}} {{json .Runtimes}}']);
  await quiet('nvidia-smi', [...NVIDIA_SMI_ARGS]);
  await quiet('df', ['-B1', '/var/lib/docker']);
  await quiet('nproc', []);
  await quiet('free', ['-b']);
}

/** A bare `node -e 0`, timed just before each Benchtop run (untimed for it), so the floor sees the same drift. */
const floor: number[] = [];
const floorRun = async () => {
  floor.push(await timed(() => run(process.execPath, ['-e', '0']).then(() => undefined)));
};

/** Where the goal lies against Node's own start-up: a goal below the floor is out of any Node CLI's reach. */
function reach(c: Comparison): string {
  const goalMs = median(c.plain) * c.goal;
  const f = median(floor);
  return `  goal: Benchtop <= ${goalMs.toFixed(0)} ms; \`node -e 0\` alone ${f.toFixed(0)} ms, Benchtop ${(median(c.benchtop) - f).toFixed(0)} ms over it` +
    `${goalMs < f ? ' (the goal is below Node\'s own start-up: no Node CLI can meet it)' : ''}\n`;
}

async function main(): Promise<void> {
  await run(process.execPath, [join(root, 'scripts/build-cli.mjs')]);
  try {
    const version = await compare('`benchtop --version` vs `docker --version` (start-up only)',
      { name: 'benchtop --version', run: () => benchtop('--version'), reset: floorRun },
      { name: 'docker --version', run: () => docker('--version') }, runs, 5.0);
    const engine = await compare('`benchtop engine --json` vs `docker version` + `docker info`',
      { name: 'benchtop engine --json', run: () => benchtop('engine', '--json'), reset: floorRun },
      { name: 'docker version + info', run: async () => { await docker('version'); await docker('info'); } }, runs, 1.5);
    const check = await compare('`benchtop check --json` (no project) vs the plain tools',
      { name: 'benchtop check --json', run: () => benchtop('check', '--json'), reset: floorRun },
      { name: 'plain tools', run: plainTools }, runs, 1.5);

    report(version, 'docker --version');
    process.stdout.write(reach(version));
    report(engine, 'docker version + docker info');
    process.stdout.write(reach(engine));
    report(check, 'docker version, docker info, nvidia-smi, df, nproc, free');
    process.stdout.write(reach(check));
    const f = median(floor);
    process.stdout.write(`\nFloor: \`node -e 0\` ${f.toFixed(0)} ms (median of ${floor.length}, each just before a Benchtop run); Benchtop / floor: ` +
      `--version ${(median(version.benchtop) / f).toFixed(2)}, engine ${(median(engine.benchtop) / f).toFixed(2)}, check ${(median(check.benchtop) / f).toFixed(2)}\n`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

await main();
