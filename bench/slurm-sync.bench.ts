/**
 * Notebook sync with a Slurm cluster's shared folder over the login node's SSH connection (issue 15):
 * Benchtop's two-way sync (ssh exec of the sync's helper on the login node, one kept connection)
 * against `rsync -a --delete` over ssh into a folder beside it (one-way, a new SSH connection per
 * run, as people use it). Tree: 500 files of 100 KB (50 MB) in 10 folders. Three cases, each its
 * own comparison: first full sync, no change, one changed file (the goals of issue #10 for volumes).
 * Needs the test cluster (scripts/test-env/slurm.sh, env.json "slurm").
 *
 *   node --import tsx bench/slurm-sync.bench.ts [runs]
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Core } from '../src/main/core/core';
import { openConfSettings } from '../src/main/core/settings/conf-store';
import { clusterFolders } from '../src/main/core/sync/cluster-folders';
import { SyncService } from '../src/main/core/sync/service';
import { benchProject } from './support/project';
import { compare, median, report, type Comparison } from './support/timing';

const run = promisify(execFile);
const runs = Number(process.argv[2] ?? 3);
const FILES = 500;
const FILE_BYTES = 100 * 1024;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

interface SlurmEnvLite {
  login: { host: string; port: number; knownHosts: string; knownHostsLine: string };
  users: { name: string; key: string; sharedDir: string }[];
  image: string;
}

async function main(): Promise<void> {
  const loadBefore = load();
  const envJson = JSON.parse(readFileSync(new URL('../.test-env/env.json', import.meta.url), 'utf8')) as { slurm?: SlurmEnvLite; image: { lockfilePath: string } };
  const slurm = envJson.slurm;
  if (!slurm) throw new Error('.test-env/env.json has no "slurm" cluster');
  const user = slurm.users[0];
  const home = mkdtempSync(join(tmpdir(), 'bt-bench-slurm-sync-'));
  writeFileSync(join(home, 'known_hosts'), `${slurm.login.knownHostsLine}\n`);
  writeFileSync(join(home, 'ssh_config'), '');
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, BENCHTOP_KNOWN_HOSTS: join(home, 'known_hosts'), BENCHTOP_SSH_CONFIG: join(home, 'ssh_config'), BENCHTOP_FORWARDER: 'off' };
  delete env.SSH_AUTH_SOCK;
  const core = new Core({ settings: openConfSettings(join(home, 'settings')), shell: 'cli', env });
  const added = await core.hosts.add({ spec: `slurm://${user.name}@${slurm.login.host}:${slurm.login.port}`, identityFile: user.key, slurm: { sharedDir: user.sharedDir } });
  if (added.status !== 'added') throw new Error(`cluster not added: ${added.status}`);
  const target = added.host.id;

  const project = benchProject(slurm.image, envJson.image.lockfilePath);
  for (let d = 0; d < 10; d += 1) {
    mkdirSync(join(project.notebooks, `folder ${d}`));
    for (let i = 0; i < FILES / 10; i += 1) writeFileSync(join(project.notebooks, `folder ${d}`, `notebook ${i}.ipynb`), randomBytes(FILE_BYTES));
  }
  const info = await core.projects.read(project.dir);
  const folder = await core.slurm.notebooksFolder(target, info.name);
  const rsyncDir = `${user.sharedDir}/bt-bench-rsync-${randomBytes(3).toString('hex')}`;
  const sshArgs = `ssh -i ${user.key} -p ${slurm.login.port} -o UserKnownHostsFile=${slurm.login.knownHosts} -o StrictHostKeyChecking=yes -o BatchMode=yes -o IdentitiesOnly=yes`;
  const dest = `${user.name}@${slurm.login.host}`;
  const rsync = () => run('rsync', ['-a', '--delete', '-e', sshArgs, `${project.notebooks}/`, `${dest}:${rsyncDir}/`]);
  const sshRun = (cmd: string) => run('ssh', [...sshArgs.split(' ').slice(1), dest, cmd]);

  const dataDirs: string[] = [];
  // Fresh per service: a first sync starts the helper process on the login node afresh, as a new session's would.
  const freshFolders = () => clusterFolders({
    isCluster: (t) => t === target, client: (t) => core.hosts.connection(t).client(), notebooksFolder: (t, name) => core.slurm.notebooksFolder(t, name),
  });
  const freshService = () => {
    const folders = freshFolders();
    dataDirs.push(mkdtempSync(join(tmpdir(), 'bt-bench-syncdata-')));
    return new SyncService({ engines: core.engines, projects: core.projects, clock: core.clock, owner: core.owner, dataDir: dataDirs.at(-1) as string, folders });
  };
  let service = freshService();
  let op = 0;
  const benchtop = () => service.sync(core.ops.create(`bench-${op++}`), { projectDir: info.dir, target }).then(() => undefined);
  const results: [Comparison, string][] = [];
  try {
    results.push([await compare(`First full sync of ${FILES} files, ${(FILES * FILE_BYTES) / 2 ** 20} MB, to the cluster folder`, {
      name: 'benchtop sync',
      reset: async () => {
        await sshRun(`rm -rf '${folder}'`);
        service = freshService();
      },
      run: benchtop,
    }, { name: 'rsync', reset: async () => void (await sshRun(`rm -rf '${rsyncDir}'`)), run: async () => void (await rsync()) }, runs, 1.1), 'rsync -a --delete over ssh']);
    results.push([await compare('No-change sync', { name: 'benchtop sync', run: benchtop }, { name: 'rsync', run: async () => void (await rsync()) }, runs, Infinity), 'rsync -a --delete over ssh']);
    let n = 0;
    const touch = async () => writeFileSync(join(project.notebooks, 'folder 7', 'notebook 3.ipynb'), `changed ${n++} ${randomBytes(8).toString('hex')}`);
    results.push([await compare('One changed file', { name: 'benchtop sync', reset: touch, run: benchtop },
      { name: 'rsync', reset: touch, run: async () => void (await rsync()) }, runs, 1.0), 'rsync -a --delete over ssh']);
  } finally {
    await sshRun(`rm -rf '${rsyncDir}' '${folder.replace(/\/notebooks$/, '')}'`).catch(() => undefined);
    await core.close();
    rmSync(project.dir, { recursive: true, force: true });
    for (const dir of [...dataDirs, home]) rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`\nLoad average (1, 5, 15 min): ${loadBefore} at the start, ${load()} at the end\n`);
  for (const [result, plain] of results) report(result, plain);
  const [, noChange, oneFile] = results.map(([r]) => median(r.benchtop));
  process.stdout.write(`\nNo-change ${noChange.toFixed(0)} ms; one changed file ${oneFile.toFixed(0)} ms\n`);
}

await main();
