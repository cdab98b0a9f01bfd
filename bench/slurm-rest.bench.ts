/**
 * The Slurm queue listing (issue 15): Benchtop through slurmrestd + JWT (a channel on the login node's
 * kept SSH connection, token cached) against plain `ssh login squeue --all --json` (a new connection
 * per run, as people type it), and against Benchtop's own `squeue --json` over the kept connection.
 * Needs the test cluster with slurmrestd (scripts/test-env/slurm.sh, env.json "slurm.restd").
 *
 *   node --import tsx bench/slurm-rest.bench.ts [runs]
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Core } from '../src/main/core/core';
import { openConfSettings } from '../src/main/core/settings/conf-store';
import { SlurmCluster } from '../src/main/core/slurm/cluster';
import { compare, report } from './support/timing';

const run = promisify(execFile);
const runs = Number(process.argv[2] ?? 10);
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

interface SlurmEnvLite {
  login: { host: string; port: number; knownHosts: string; knownHostsLine: string };
  users: { name: string; key: string }[];
  restd: { url: string } | null;
}

async function main(): Promise<void> {
  const loadBefore = load();
  const slurm = (JSON.parse(readFileSync(new URL('../.test-env/env.json', import.meta.url), 'utf8')) as { slurm?: SlurmEnvLite }).slurm;
  if (!slurm?.restd) throw new Error('.test-env/env.json has no "slurm" cluster with slurmrestd');
  const user = slurm.users[0];
  const home = mkdtempSync(join(tmpdir(), 'bt-bench-slurm-rest-'));
  writeFileSync(join(home, 'known_hosts'), `${slurm.login.knownHostsLine}\n`);
  writeFileSync(join(home, 'ssh_config'), '');
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, BENCHTOP_KNOWN_HOSTS: join(home, 'known_hosts'), BENCHTOP_SSH_CONFIG: join(home, 'ssh_config'), BENCHTOP_FORWARDER: 'off' };
  delete env.SSH_AUTH_SOCK;
  const core = new Core({ settings: openConfSettings(join(home, 'settings')), shell: 'cli', env });
  const added = await core.hosts.add({ spec: `slurm://${user.name}@${slurm.login.host}:${slurm.login.port}`, identityFile: user.key, slurm: { restUrl: slurm.restd.url } });
  if (added.status !== 'added') throw new Error(`cluster not added: ${added.status}`);
  const target = added.host.id;
  const sshArgs = ['-i', user.key, '-p', String(slurm.login.port), '-o', `UserKnownHostsFile=${slurm.login.knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes'];
  const plainSqueue = { name: 'ssh squeue --json', run: async () => void (await run('ssh', [...sshArgs, `${user.name}@${slurm.login.host}`, 'squeue --all --json'], { maxBuffer: 64 * 2 ** 20 })) };
  const viaRest = { name: 'benchtop REST', run: async () => void (await core.slurm.cluster(target).jobs()) };
  const cliOnly = new SlurmCluster(core.slurm.cluster(target).shell);
  try {
    const results = [
      [await compare('Queue listing: Benchtop via slurmrestd (kept SSH connection, cached JWT) vs plain ssh squeue --json', viaRest, plainSqueue, runs, 1.1), 'ssh login squeue --all --json'],
      [await compare('Queue listing: Benchtop via slurmrestd vs Benchtop\'s squeue --json on the same kept connection', viaRest,
        { name: 'benchtop squeue', run: async () => void (await cliOnly.jobs()) }, runs, 1.1), 'benchtop squeue --json over the kept connection'],
    ] as const;
    process.stdout.write(`\nLoad average (1, 5, 15 min): ${loadBefore} at the start, ${load()} at the end\n`);
    for (const [result, plain] of results) report(result, plain);
  } finally {
    await core.close();
    rmSync(home, { recursive: true, force: true });
  }
}

await main();
