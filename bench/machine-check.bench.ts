/**
 * The machine check, cold (a fresh process's first check: new engine connection, nvidia-smi, image
 * facts) and warm (the app's next check: slow facts remembered), against
 *   - the plain tools a person would run for the same answers, one after another
 *     (`docker image inspect` + the manifest by curl when a project is pinned, `docker version`,
 *     `docker info`, `nvidia-smi --query-gpu…`, `df`, `nproc`, `free`), and
 *   - the same probes run one at a time instead of concurrently (the sum of their costs).
 * Goal: warm under 1 s on 2 cores with the engine up; cold no slower than the plain tools.
 *
 *   node --import tsx bench/machine-check.bench.ts [runs]
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { MACHINE_CHECKS } from '../src/main/core/machine/checks';
import { registryImageFacts } from '../src/main/core/machine/registry-facts';
import { MachineCheckService } from '../src/main/core/machine/service';
import type { ProjectFacts } from '../src/main/core/machine/types';
import { NVIDIA_SMI_ARGS } from '../src/main/core/gpu/nvidia-smi';
import { testEnv } from '../test/support/env';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchCore, benchProject } from './support/project';
import { compare, median, report, timed } from './support/timing';

const run = promisify(execFile);
const runs = Number(process.argv[2] ?? 7);
const home = mkdtempSync(join(tmpdir(), 'bt-bench-home-'));

/** The pinned analysis image when the test environment is up, so image facts come from the registry. */
function benchProjectFacts(): ProjectFacts | undefined {
  try {
    const env = testEnv();
    const digest = env.image.versions[env.image.latest].digest;
    return { image: `${env.registry}/${env.image.repository}@${digest}`, pinned: { repository: `${env.registry}/${env.image.repository}`, digest }, hostRequirements: { cpus: 1, memory: '1gb', storage: '4gb', gpu: 'optional' } };
  } catch {
    return undefined;
  }
}

async function plainTools(project: ProjectFacts | undefined): Promise<void> {
  const quiet = (file: string, args: string[]) => run(file, args, { timeout: 5000 }).catch(() => undefined);
  if (project?.pinned) {
    // The image's platform, size and labels: the local copy if any, else its manifest on the registry.
    const [registry, ...path] = project.pinned.repository.split('/');
    await quiet('docker', ['image', 'inspect', '--format', '{{.Os}}/{{.Architecture}} {{.Size}}', project.image]);
    await quiet('curl', ['-sf', '-H', 'Accept: application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
      `http://${registry}/v2/${path.join('/')}/manifests/${project.pinned.digest}`]);
  }
  await quiet('docker', ['version', '--format', '{{.Server.Version}} {{.Server.APIVersion}}']);
  await quiet('docker', ['info', '--format', '{{.Driver}} {{.DockerRootDir}} {{.NCPU}} {{.MemTotal}} {{json .Runtimes}}']);
  await quiet('nvidia-smi', [...NVIDIA_SMI_ARGS]);
  await quiet('df', ['-B1', '/var/lib/docker']);
  await quiet('nproc', []);
  await quiet('free', ['-b']);
}

async function main(): Promise<void> {
  const project = benchProjectFacts();
  process.stderr.write(`machine check ${project ? `for ${project.image}` : 'without a project (no .test-env/env.json)'}\n`);
  const core = benchCore();
  /** A check service with nothing remembered yet, sharing the core's engine connection. */
  const service = (checks = MACHINE_CHECKS) => new MachineCheckService({
    engines: core.engines, settings: core.settings, clock: core.clock, env: core.env,
    gpuProbe: () => core.gpus.probe('local'), registryFacts: registryImageFacts(core.registry), checks,
  });
  let op = 0;
  const opId = () => `bench-${op++}`;
  const warm = service();
  await core.ops.run(opId(), (op) => warm.check(op, { project }));
  try {
    const cold = await compare('Cold machine check vs the plain tools run one after another', {
      name: 'benchtop check (cold)',
      run: async () => {
        // A fresh core: new engine connection, nvidia-smi and image facts asked again, as at app start.
        const fresh = benchCore();
        await fresh.ops.run(opId(), (op) => fresh.machine.check(op, { project }));
        await fresh.close();
      },
    }, { name: 'docker version/info, nvidia-smi, df, nproc, free', run: () => plainTools(project) }, runs, 1.0);
    report(cold, 'plain tools, sequential');

    const dir = project ? benchProject(project.image, testEnv().image.lockfilePath).dir : undefined;
    const cli = await compare('`benchtop check` as a new process (node start-up included) vs the plain tools', {
      name: 'benchtop check --json',
      run: async () => {
        await run(process.execPath, ['bin/benchtop.js', 'check', ...(dir ? [dir] : []), '--json'], { env: { ...process.env, BENCHTOP_HOME: home } })
          .catch((error: { code?: number }) => {
            if (error.code !== 1) throw error; // 1: a check failed, still a full run
          });
      },
    }, { name: 'docker version/info, nvidia-smi, df, nproc, free', run: () => plainTools(project) }, runs, 1.0);
    report(cli, 'plain tools, sequential');

    const sequential = async () => {
      for (const check of MACHINE_CHECKS) await core.ops.run(opId(), (op) => service([check]).check(op, { project }));
    };
    const concurrency = await compare('Machine check (engine connected, facts not remembered) vs the same probes one at a time', {
      name: 'benchtop check (concurrent)',
      run: async () => {
        await core.ops.run(opId(), (op) => service().check(op, { project }));
      },
    }, { name: 'each probe alone, in turn', run: sequential }, runs, 1.0);
    report(concurrency, 'probes one after another');

    const warmTimes: number[] = [];
    for (let i = 0; i < runs; i += 1) warmTimes.push(await timed(async () => void (await core.ops.run(opId(), (op) => warm.check(op, { project })))));
    const w = median(warmTimes);
    process.stdout.write(`\nWarm machine check (slow facts remembered; ${runs} runs, median)\n` +
      `  ${'Benchtop (warm)'.padEnd(34)} ${w.toFixed(0).padStart(7)} ms   [${warmTimes.map((x) => x.toFixed(0)).join(', ')}]\n` +
      `  ratio warm / probes one after another: ${(w / median(concurrency.plain)).toFixed(3)}\n` +
      `  goal < 1000 ms: ${w < 1000 ? 'met' : 'NOT met'}\n`);
  } finally {
    await core.close();
  }
}

await main();
