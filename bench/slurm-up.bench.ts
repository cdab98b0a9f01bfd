/**
 * A session on the Slurm cluster, from nothing to a notebook answering on this computer:
 * `benchtop up --target CLUSTER` (Benchtop's core, a fresh one per run so its SSH handshake counts:
 * sbatch over its one connection, squeue until RUNNING, the job's endpoint, a forward from the login
 * node to the compute node, /api/status) against the plain chain a user would type with OpenSSH:
 * `ssh login sbatch < the same job script`, `squeue` until RUNNING, read the job's endpoint and
 * token, `ssh -L` to the node, poll /api/status. The plain side shares one OpenSSH ControlMaster
 * connection per run (as a savvy user's ssh config would), so it pays one handshake too. Both poll
 * every 250 ms. Between runs the job is cancelled and its card freed (untimed). Goal: <= 1.1x.
 *
 *   node --import tsx bench/slurm-up.bench.ts [runs]
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { Core } from '../src/main/core/core';
import { openConfSettings } from '../src/main/core/settings/conf-store';
import { BENCHTOP_WORKSPACE } from '../src/main/core/project/jupyter-image';
import { jobScript } from '../src/main/core/slurm/job-script';
import { runtimeNamed } from '../src/main/core/slurm/runtime';
import { jobComment } from '../src/main/core/slurm/session-info';
import { makeProject } from '../test/support/fixture-project';
import { clusterImageVersion, clusterSpec, slurmOrSkip } from '../test/slurm/support';
import { compare, report } from './support/timing';

const runs = Number(process.argv[2] ?? 5);
const POLL_MS = 250;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function main(): Promise<void> {
  const { env, skip } = slurmOrSkip();
  if (!env) {
    console.log(`slurm-up: skipped (${skip})`);
    return;
  }
  const user = env.users[0];
  const dir = mkdtempSync(join(tmpdir(), 'bt-bench-slurm-'));
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `${env.login.knownHostsLine}\n`);
  writeFileSync(join(dir, 'ssh_config'), '');
  const coreEnv: NodeJS.ProcessEnv = { ...process.env, HOME: dir, BENCHTOP_KNOWN_HOSTS: knownHosts, BENCHTOP_SSH_CONFIG: join(dir, 'ssh_config'), BENCHTOP_FORWARDER: 'off' };
  delete coreEnv.SSH_AUTH_SOCK;
  const settingsDir = join(dir, 'settings');
  const project = await makeProject({ version: clusterImageVersion(env) });
  const name = `slurm-bench-${randomBytes(3).toString('hex')}`;
  writeFileSync(project.devcontainerPath, readFileSync(project.devcontainerPath, 'utf8').replace('"name": "basic-analysis"', `"name": "${name}"`));
  const setup = new Core({ settings: openConfSettings(settingsDir), shell: 'cli', env: coreEnv });
  const added = await setup.hosts.add({ spec: clusterSpec(env, user), identityFile: user.key,
    slurm: { partition: env.partition, account: env.account, qos: env.qos, sharedDir: user.sharedDir, runtime: env.runtime, gpuDevicePattern: env.gpuDevicePattern } });
  if (added.status !== 'added') throw new Error(`cluster not added: ${added.status}`);
  const target = added.host.id;
  await setup.close();

  // OpenSSH, as the plain user runs it.
  const control = join(dir, 'ctl');
  const sshBase = ['-p', String(env.login.port), '-i', user.key, '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', `UserKnownHostsFile=${knownHosts}`,
    '-o', 'StrictHostKeyChecking=yes', '-o', `ControlPath=${control}`, '-o', 'LogLevel=ERROR'];
  const dest = `${user.name}@${env.login.host}`;
  const ssh = (command: string, input?: string) => new Promise<string>((resolve, reject) => {
    const child = execFile('ssh', [...sshBase, dest, command], { maxBuffer: 1 << 24 }, (error, stdout, stderr) => (error ? reject(new Error(`${command}: ${stderr || error.message}`)) : resolve(stdout)));
    if (input !== undefined) child.stdin?.end(input);
  });
  let plainJob: string | undefined;
  let benchtopJob: string | undefined;

  const cancelAndWait = async (job: string | undefined) => {
    if (!job) return;
    await ssh(`scancel ${job}; while squeue --noheader --jobs=${job} --format=%T 2>/dev/null | grep -q .; do sleep 0.2; done; while podman ps -q --filter label=dev.benchtop.slurm.job=${job} | grep -q .; do sleep 0.2; done`).catch(() => undefined);
  };

  const plain = async () => {
    // One master connection for the run (its handshake is timed, as Benchtop's is).
    const master = spawn('ssh', [...sshBase, '-o', 'ControlMaster=yes', '-o', 'ControlPersist=no', '-N', dest], { stdio: 'ignore' });
    try {
      while (!(await ssh('true').then(() => true, () => false))) await sleep(20);
      const session = randomBytes(6).toString('hex');
      const stateDir = posix.join(user.sharedDir, '.benchtop', 'jobs', session);
      const notebooksDir = posix.join(user.sharedDir, name, 'notebooks');
      const script = jobScript({ session, ownerId: 'plain', image: project.image, notebooksDir, stateDir, workspace: BENCHTOP_WORKSPACE, jupyterArgs: [],
        idleMinutes: 30, gpuDevicePattern: env.gpuDevicePattern, runtime: runtimeNamed(env.runtime) });
      const comment = jobComment({ session, owner: { id: 'plain', name: 'plain' }, project: name });
      plainJob = (await ssh(`mkdir -p '${stateDir}' '${notebooksDir}' && chmod 700 '${stateDir}' && sbatch --parsable --job-name=benchtop-${name} --comment='${comment}' --output='${stateDir}/job.log' --chdir='${stateDir}' --partition=${env.partition} --account=${env.account} --qos=${env.qos} --gres=gpu:1 --time=10`, script)).trim().split(';')[0];
      while ((await ssh(`squeue --noheader --jobs=${plainJob} --format=%T`)).trim() !== 'RUNNING') await sleep(POLL_MS);
      let endpoint: Record<string, string> = {};
      let token = '';
      while (!endpoint.port) {
        const out = await ssh(`cat '${stateDir}/endpoint' 2>/dev/null; echo; cat '${stateDir}/token' 2>/dev/null; true`);
        const lines = out.split('\n');
        endpoint = Object.fromEntries(lines.filter((l) => l.includes('=')).map((l) => l.split('=') as [string, string]));
        token = lines.filter((l) => /^[0-9a-f]{48}$/.test(l))[0] ?? '';
        if (!endpoint.port) await sleep(POLL_MS);
      }
      const local = await freePort();
      await new Promise<void>((resolve, reject) => execFile('ssh', [...sshBase, '-O', 'forward', '-L', `127.0.0.1:${local}:${endpoint.node}:${endpoint.port}`, dest], (e) => (e ? reject(e) : resolve())));
      while (!(await fetch(`http://127.0.0.1:${local}/api/status`, { headers: { authorization: `token ${token}` } }).then((r) => r.ok, () => false))) await sleep(POLL_MS);
    } finally {
      master.kill();
    }
  };

  const benchtop = async () => {
    const core = new Core({ settings: openConfSettings(settingsDir), shell: 'cli', env: coreEnv });
    try {
      const info = await core.slurm.up({ dir: project.dir, target, gpus: 1, timeMinutes: 10, pollMs: POLL_MS });
      if (info.state !== 'ready') throw new Error(`not ready: ${info.state}`);
      benchtopJob = info.jobId;
    } finally {
      await core.close();
    }
  };

  try {
    report(await compare('slurm session: submit to a notebook answering on this computer (1 GPU)',
      { name: 'benchtop', run: benchtop, reset: async () => { await cancelAndWait(benchtopJob); benchtopJob = undefined; } },
      { name: 'plain', run: plain, reset: async () => { await cancelAndWait(plainJob); plainJob = undefined; } }, runs, 1.1),
    'ssh sbatch, squeue, ssh -L, /api/status');
  } finally {
    await cancelAndWait(benchtopJob);
    await cancelAndWait(plainJob);
    await ssh(`rm -rf '${user.sharedDir}/${name}'`).catch(() => undefined);
    await project.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
