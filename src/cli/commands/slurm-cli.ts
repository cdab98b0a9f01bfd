import type { HostInfo } from '../../shared/contract/hosts';
import type { SlurmHostOptions } from '../../shared/contract/slurm';
import { BenchtopError } from '../../main/core/errors';
import { parseDuration } from '../../main/core/slurm/duration';
import type { SlurmSessionInfo } from '../../main/core/slurm/session-info';
import { parseSlurmSessionId } from '../../main/core/slurm/session-info';
import { flag, stringOption } from '../args';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';
import { columns, table } from '../output';
import { dirname, join } from 'node:path';
import { writeOpenPage } from '../../main/core/session/open-page';

export { SLURM_HOST_OPTIONS, SLURM_UP_OPTIONS } from './slurm-options';

export function slurmHostOptions(ctx: CliContext): SlurmHostOptions | undefined {
  const o: SlurmHostOptions = {
    partition: stringOption(ctx.args, 'partition'), account: stringOption(ctx.args, 'account'), qos: stringOption(ctx.args, 'qos'),
    sharedDir: stringOption(ctx.args, 'shared-dir'), runtime: stringOption(ctx.args, 'runtime'), gpuDevicePattern: stringOption(ctx.args, 'gpu-devices'),
    restUrl: stringOption(ctx.args, 'rest-url'),
  };
  return Object.values(o).some((v) => v !== undefined) ? o : undefined;
}

/** A cluster's summary for `host add|test`: its partitions, GPUs and the user's limits. */
export function describeClusterHost(host: HostInfo): string {
  const c = host.cluster;
  const limits = c?.limits;
  return table([
    ['Cluster', `${host.id} (${host.spec})`],
    ['Login node', `${host.user}@${host.hostname}:${host.port}`],
    ['Status', host.message ? `${host.status}: ${host.message}` : host.status],
    ...(host.fingerprint ? [['Host key', host.fingerprint] as [string, string]] : []),
    ...(c ? c.partitions.map((p) => [`Partition ${p.name}${p.isDefault ? ' (default)' : ''}`,
      `${p.available}, ${p.nodes} node${p.nodes === 1 ? '' : 's'}, ${p.gpus} GPU${p.gpus === 1 ? '' : 's'}${p.gpuTypes.length ? ` (${p.gpuTypes.join(', ')})` : ''}, time limit ${p.timeLimit}`] as [string, string]) : []),
    ...(limits ? [
      ['Accounts / QOS', `${limits.accounts.join(', ') || 'none'} / ${limits.qos.join(', ') || 'none'}`] as [string, string],
      ['Your GPU limit', limits.maxGpusPerUser !== undefined ? `${limits.maxGpusPerUser} at a time (QOS)` : limits.groupGpuLimit !== undefined ? `${limits.groupGpuLimit} (account)` : 'none set'] as [string, string],
    ] : []),
    ['Your sessions', String(host.sessions)],
  ]);
}

const when = (iso: string | undefined) => (iso ? new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' }) : '-');

/** `benchtop ps`'s table of cluster sessions: state, reason and place in line, cards, until when. */
export function clusterSessionsTable(sessions: SlurmSessionInfo[]): string {
  return columns(['ID', 'PROJECT', 'STATE', 'REASON / NOTE', 'GPUS', 'NODE', 'ENDS', 'OWNER'], sessions.map((s) => [
    s.id, s.projectName, s.jobState.toLowerCase(), s.message ?? '', s.cards.join(',') || (s.gpusRequested ? `${s.gpusRequested} asked` : '-'),
    s.nodes || '-', when(s.endsAt), s.mine ? 'you' : s.owner?.name ?? '-',
  ]));
}

/** `benchtop up --target CLUSTER`: submits the job, shows why it waits, and prints the notebook URL once ready. */
export async function slurmUp(ctx: CliContext, dir: string, target: string): Promise<number> {
  const gpusText = stringOption(ctx.args, 'gpus');
  const gpus = gpusText === undefined ? undefined : Number(gpusText);
  if (gpus !== undefined && (!Number.isInteger(gpus) || gpus < 0)) throw new BenchtopError('INVALID_ARGUMENT', `--gpus takes a whole number, not "${gpusText}".`, 'For example --gpus 1.');
  const time = stringOption(ctx.args, 'time');
  const info = await ctx.core.ops.run(ctx.newOpId(), ({ signal }) => ctx.core.slurm.up({
    dir, target, gpus, timeMinutes: time ? parseDuration(time) : undefined, noWait: flag(ctx.args, 'no-wait'), signal,
    onStep: (step) => { if (!ctx.json) ctx.err(step); },
  }));
  if (info.state === 'ready' && info.url && !flag(ctx.args, 'no-open')) await showInBrowser(ctx, info.id, info.url);
  if (ctx.json) ctx.out(JSON.stringify(info, null, 2));
  else if (info.state === 'ready') {
    ctx.err(`Session ${info.id} is ready on ${info.nodes} (${info.cards.length ? `GPUs ${info.cards.join(', ')}` : 'no GPU'}${info.endsAt ? `, until ${when(info.endsAt)}` : ''}); notebooks in ${info.notebooksDir}.`);
    ctx.out(info.url ?? '');
  } else ctx.out(`Session ${info.id}: ${info.message ?? info.jobState}. \`benchtop ps\` shows it; \`benchtop stop ${info.id}\` cancels it.`);
  return EXIT.OK;
}

/** `benchtop stop JOB@CLUSTER`; undefined when the id is not a cluster session's. */
export async function slurmStop(ctx: CliContext, id: string): Promise<number | undefined> {
  if (!parseSlurmSessionId(id) || !ctx.core.slurm.isCluster(parseSlurmSessionId(id)?.target)) return undefined;
  const info = await ctx.core.slurm.stop(id);
  ctx.out(ctx.json ? JSON.stringify(info, null, 2) : `${info.id}: cancelled (scancel)`);
  return EXIT.OK;
}

/** `benchtop gpus --target CLUSTER`: every GPU job of the cluster from squeue --json, yours marked. */
export async function slurmGpus(ctx: CliContext, target: string): Promise<number> {
  const jobs = await ctx.core.slurm.gpuJobs(target);
  if (ctx.json) ctx.out(JSON.stringify(jobs, null, 2));
  else if (jobs.length === 0) ctx.out(`No GPU jobs on ${target}.`);
  else {
    ctx.out(columns(['JOB', 'USER', 'NAME', 'STATE', 'GPUS', 'NODE', 'SINCE', 'ENDS', 'NOTE'], jobs.map((j) => [
      j.jobId, j.mine ? `${j.user} (you)` : j.user, j.name, j.state.toLowerCase(),
      j.gpus.length ? j.gpus.map((g) => `${j.nodes}:${g}`).join(',') : `${j.gpusRequested} asked`, j.nodes || '-', when(j.startedAt), when(j.endsAt), j.reason ?? '',
    ])));
    ctx.out('Others\' jobs are shown read-only; cancel yours with `benchtop stop JOB@CLUSTER`.');
  }
  return EXIT.OK;
}

/** `benchtop gpus extend JOB@CLUSTER --hours H`: the job ends H hours from now, where the cluster allows (scontrol update). */
export async function slurmExtend(ctx: CliContext, id: string, hours: number | undefined): Promise<number> {
  if (hours === undefined || !(hours > 0)) throw new BenchtopError('INVALID_ARGUMENT', 'Extending a cluster session needs --hours H (its new end, from now).', 'For example: benchtop gpus extend 42@cluster --hours 2');
  const info = await ctx.core.slurm.get(id);
  const elapsed = info.startedAt ? Math.ceil((Date.now() - Date.parse(info.startedAt)) / 60_000) : 0;
  const updated = await ctx.core.slurm.extend(id, elapsed + Math.ceil(hours * 60));
  ctx.out(ctx.json ? JSON.stringify(updated, null, 2) : `${updated.id} now ends at ${when(updated.endsAt)}.`);
  return EXIT.OK;
}

/** Through a private 0600 page, never the URL itself (a browser's command line is public; the token is not). */
async function showInBrowser(ctx: CliContext, id: string, url: string): Promise<void> {
  const page = await writeOpenPage(join(dirname(ctx.core.settings.path), 'open'), `slurm-${id.replace(/[^A-Za-z0-9_.-]/g, '-')}`, url);
  await ctx.core.desktop.openLocalPage(page);
}

/** `benchtop open JOB@CLUSTER`: your running cluster session's notebook; undefined when the id is not a cluster session's. */
export async function slurmOpen(ctx: CliContext, id: string): Promise<number | undefined> {
  if (!ctx.core.slurm.isCluster(parseSlurmSessionId(id)?.target)) return undefined;
  const info = await ctx.core.slurm.open(id);
  if (info.url) await showInBrowser(ctx, info.id, info.url);
  ctx.out(ctx.json ? JSON.stringify({ url: info.url }, null, 2) : info.url ?? '');
  return EXIT.OK;
}

const MARK = { pass: '✓', warn: '!', fail: '✗' } as const;

/** `benchtop check DIR --target CLUSTER [--gpus N] [--time D]`: the project against the cluster's limits. */
export async function slurmCheck(ctx: CliContext, dir: string, target: string): Promise<number> {
  const gpusText = stringOption(ctx.args, 'gpus');
  const time = stringOption(ctx.args, 'time');
  const items = await ctx.core.slurm.checkProject(target, dir, { gpus: gpusText === undefined ? undefined : Number(gpusText), timeMinutes: time ? parseDuration(time) : undefined });
  if (ctx.json) ctx.out(JSON.stringify(items, null, 2));
  else ctx.out(items.map((i) => `${MARK[i.state]} ${i.name}: ${i.detail}${i.state !== 'pass' && i.hint ? `\n    ${i.hint}` : ''}`).join('\n'));
  return items.some((i) => i.state === 'fail') ? EXIT.NEGATIVE : EXIT.OK;
}
