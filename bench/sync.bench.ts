/**
 * Notebook sync with the shared GPU host over SSH: Benchtop's two-way sync (into the project's
 * volume, through a running session container, one SSH connection) against `rsync -a --delete`
 * over ssh into a folder on the same host (one-way, a new SSH connection per run, as people use it).
 * Tree: 2,000 files of 100 KB (200 MB) in 20 folders. Three cases, each its own comparison, with
 * the goals of issue #10: first full sync <= 1.1x rsync, no change < 300 ms, one changed file <= rsync.
 * The safety work (identity, trash, locks) must not cost speed: after the first sync through a
 * session's container, a sync costs no engine request at all (the volume's side is answered by the
 * helper processes kept open in the container, sync-agent.ts): a no-change sync is one request on
 * that open stream, a one-file sync two. The first-sync runs start those helpers afresh each time.
 * The machine's load average is printed beside the figures (the host is shared).
 *
 *   node --import tsx bench/sync.bench.ts [runs]
 * It gives up after BENCH_TIMEOUT_S seconds (default 1200), removing what it made, and exits 124.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { NOTEBOOKS_ROOT } from '../src/main/core/sync/remote-tree';
import { SyncService } from '../src/main/core/sync/service';
import { execOk } from '../src/main/core/sync/container-exec';
import { closeAgents } from '../src/main/core/sync/sync-agent';
import { benchProject } from './support/project';
import { benchSshHost } from './support/ssh-host';
import { compare, median, report, type Comparison } from './support/timing';

const run = promisify(execFile);
const runs = Number(process.argv[2] ?? 3);
const FILES = 2000;
const FILE_BYTES = 100 * 1024;
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 1200) * 1000;

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const loadBefore = load();
  const { ssh, env, image, fx, target } = await benchSshHost();

  const project = benchProject(image, env.image.lockfilePath);
  for (let d = 0; d < 20; d += 1) {
    mkdirSync(join(project.notebooks, `folder ${d}`));
    for (let i = 0; i < FILES / 20; i += 1) writeFileSync(join(project.notebooks, `folder ${d}`, `notebook ${i}.ipynb`), randomBytes(FILE_BYTES));
  }
  const info = await fx.core.projects.read(project.dir);
  const docker = await fx.core.engines.docker(target);
  const volume = (await fx.core.sync.ensureVolume(info.dir, target)).name;
  // The stand-in for a running session: the image with the volume mounted.
  const session: Docker.Container = await docker.createContainer({
    name: `bt-bench-sync-${randomBytes(3).toString('hex')}`, Image: image, Entrypoint: ['sleep', 'infinity'], Cmd: [],
    HostConfig: { Mounts: [{ Type: 'volume', Source: volume, Target: NOTEBOOKS_ROOT }], NetworkMode: 'none' },
  });
  await session.start();

  const rsyncDir = `bt-bench-rsync-${randomBytes(3).toString('hex')}`;
  const sshArgs = `ssh -i ${ssh.identityFile} -p ${ssh.port} -o UserKnownHostsFile=${fx.knownHosts} -o StrictHostKeyChecking=yes -o BatchMode=yes`;
  const rsync = () => run('rsync', ['-a', '--delete', '-e', sshArgs, `${project.notebooks}/`, `${ssh.user}@${ssh.host}:${rsyncDir}/`]);
  const sshRun = (cmd: string) => run('ssh', [...sshArgs.split(' ').slice(1), `${ssh.user}@${ssh.host}`, cmd]);

  const dataDirs: string[] = [];
  const freshService = () => {
    dataDirs.push(mkdtempSync(join(tmpdir(), 'bt-bench-syncdata-')));
    return new SyncService({ engines: fx.core.engines, projects: fx.core.projects, clock: fx.core.clock, owner: fx.core.owner, dataDir: dataDirs.at(-1) as string });
  };
  let service = freshService();
  let op = 0;
  // Where each first sync's time goes, from its own progress events: checking the volume, listing
  // both sides and planning (until the upload starts); sending and applying the uploads (until the
  // deletions, which follow the apply step's answer and the upload's bookkeeping); the rest (the
  // state written, the lock let go).
  const steps: string[] = [];
  let stepsOf: string | undefined;
  let marks: Record<string, number> = {};
  fx.core.bus.on('syncProgress', (p) => {
    if (p.opId === stepsOf) marks[p.phase] ??= performance.now();
  });
  const benchtop = async () => {
    const id = `bench-${op++}`;
    stepsOf = id;
    marks = {};
    const start = performance.now();
    await service.sync(fx.core.ops.create(id), { projectDir: info.dir, target, containerId: session.id });
    const end = performance.now();
    const at = (phase: string) => marks[phase] ?? end;
    steps.push(`volume check, scans, plan ${(at('uploading') - start).toFixed(0)} ms; upload + apply ${(at('deleting') - at('uploading')).toFixed(0)} ms; ` +
      `state, lock ${(end - at('deleting')).toFixed(0)} ms`);
  };
  const results: [Comparison, string][] = [];
  const firstSteps: string[] = [];
  let cleaned: Promise<void> | undefined;
  const cleanup = () => (cleaned ??= (async () => {
    await session.remove({ force: true }).catch(() => undefined);
    await docker.getVolume(volume).remove().catch(() => undefined);
    await sshRun(`rm -rf ${rsyncDir}`).catch(() => undefined);
    rmSync(project.dir, { recursive: true, force: true });
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    await fx.close();
  })());
  // A machine too busy to finish: report that, and leave nothing behind.
  const watchdog = setTimeout(() => {
    process.stderr.write(`sync bench: gave up after ${TIMEOUT_MS / 1000} s\n`);
    void cleanup().finally(() => process.exit(124));
  }, TIMEOUT_MS);
  watchdog.unref();
  try {
    results.push([await compare(`First full sync of ${FILES} files, ${(FILES * FILE_BYTES) / 2 ** 20} MB, to ${target}`, {
      name: 'benchtop sync',
      reset: async () => {
        // A fresh volume content, base manifest and hash cache: nothing known on either side.
        await execOk(session, ['sh', '-c', `find ${NOTEBOOKS_ROOT} -mindepth 1 -delete`], 'bench reset');
        service = freshService();
        closeAgents(session.modem); // as when a session has just started: no helper process yet
      },
      run: benchtop,
    }, { name: 'rsync', reset: async () => void (await sshRun(`rm -rf ${rsyncDir}`)), run: async () => void (await rsync()) }, runs, 1.1), 'rsync -a --delete over ssh']);
    firstSteps.push(...steps.splice(0).slice(1)); // the warm-up's is not counted

    results.push([await compare('No-change sync (goal < 300 ms)', { name: 'benchtop sync', run: benchtop },
      { name: 'rsync', run: async () => void (await rsync()) }, runs, Infinity), 'rsync -a --delete over ssh']);

    let n = 0;
    const touch = async () => writeFileSync(join(project.notebooks, 'folder 7', 'notebook 3.ipynb'), `changed ${n++} ${randomBytes(8).toString('hex')}`);
    results.push([await compare('One changed file (goal <= rsync)', { name: 'benchtop sync', reset: touch, run: benchtop },
      { name: 'rsync', reset: touch, run: async () => void (await rsync()) }, runs, 1.0), 'rsync -a --delete over ssh']);
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
  process.stdout.write(`\nLoad average (1, 5, 15 min): ${loadBefore} at the start, ${load()} at the end\n`);
  for (const [result, plain] of results) report(result, plain);
  process.stdout.write(`\nWhere each first sync's time went:\n${firstSteps.map((line, i) => `  run ${i + 1}: ${line}\n`).join('')}`);
  const [, noChange, oneFile] = results.map(([r]) => median(r.benchtop));
  process.stdout.write(`\nAbsolute goal: no-change ${noChange.toFixed(0)} ms (goal < 300: ${noChange < 300 ? 'met' : 'NOT met'}); ` +
    `one changed file ${oneFile.toFixed(0)} ms\n`);
}

await main();
