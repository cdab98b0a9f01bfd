import { resolve } from 'node:path';
import type { TrashEntry } from '../../shared/contract/hosts';
import type { SessionInfo } from '../../shared/contract/sessions';
import { LOCAL } from '../../main/core/engine/service';
import { BenchtopError } from '../../main/core/errors';
import { sessionImageRef, trashListFor, trashRestoreFor } from '../../main/core/sync/session-sync';
import { flag, stringOption } from '../args';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';
import { follow } from '../follow';
import { columns, formatBytes, table } from '../output';
import type { Command } from './types';

export const syncCommand: Command = {
  name: 'sync',
  usage: `benchtop sync [DIR] [--target HOST] [--yes] [--adopt VOLUME] [--json]
benchtop sync restore [--list] [PATH] [--project DIR] [--target HOST] [--json]

Carries what changed on either side since the last sync, deletions included, between DIR's
notebooks folder (default: the current folder's project) and the project's notebooks volume on
HOST (default: the host where the project's session runs, else the default target). When a file
changed on both sides, both versions are kept: the host's as "NAME (conflict from HOST DATE).EXT".

Nothing is lost: every version a sync deletes or overwrites is kept for 30 days (on this computer
under the project's .benchtop/trash, on the host inside the volume); \`benchtop sync restore
--list\` lists them and \`benchtop sync restore PATH\` puts the newest one back. A sync that would
delete many files stops (SYNC_MASS_DELETE) until you add --yes; a missing or emptied notebooks
folder stops it (SYNC_ROOT_MISSING). The volume a project syncs with is recorded at its first sync;
if it is gone or replaced the sync stops (SYNC_VOLUME_CHANGED) and says which volume to --adopt
(\`--adopt new\` makes a fresh one, filled from this computer).`,
  options: {
    target: { type: 'string', value: 'HOST', help: 'the host to sync with (default: where the session of the project runs)' },
    yes: { type: 'boolean', short: 'y', help: 'go ahead when the sync would delete many files (each is kept 30 days)' },
    adopt: { type: 'string', value: 'VOLUME', help: 'sync with this volume from now on (`new`: a fresh one); nothing is deleted' },
    list: { type: 'boolean', help: 'restore: list the removed versions instead of restoring one' },
    project: { type: 'string', value: 'DIR', help: 'restore: the project (default: the current folder)' },
  },
  async run(ctx) {
    if (ctx.args.positional[0] === 'restore') return restore(ctx);
    const dir = resolve(ctx.args.positional[0] ?? '.');
    const project = await ctx.core.projects.read(dir);
    // Listed once: it tells the default host and the session whose container the sync goes through.
    const sessions = await listSessions(ctx);
    const target = targetOf(ctx, sessions, project.dir) ?? (await clusterTargetOf(ctx, project.name));
    if (!target) {
      throw new BenchtopError('INVALID_ARGUMENT', `No host to sync ${project.dir} with: no session of it runs on a host and the default target is this computer.`,
        'Name one: `benchtop sync --target HOST`.');
    }
    const session = sessions.find((s) => s.projectDir === project.dir && s.target === target && s.state === 'ready');
    const opId = ctx.newOpId();
    const off = ctx.json ? () => undefined : follow(ctx, opId, { syncProgress: (p) => {
      if (p.phase !== 'scanning' && p.filesTotal > 0) ctx.err(`${p.phase} ${p.filesDone}/${p.filesTotal} files, ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}`);
    } }, { children: false });
    try {
      const result = await ctx.core.ops.run(opId, (op) => ctx.core.sync.sync(op, { projectDir: project.dir, target, containerId: session?.name, sessionId: session?.id,
        image: session ? sessionImageRef(session) : undefined, confirmDeletes: flag(ctx.args, 'yes'), adoptVolume: stringOption(ctx.args, 'adopt') }));
      if (ctx.json) {
        ctx.out(JSON.stringify(result, null, 2));
        return EXIT.OK;
      }
      ctx.out(table([
        ['Project', project.dir],
        ['Target', `${target} (volume ${result.volume})`],
        ['Uploaded', String(result.uploaded)],
        ['Downloaded', String(result.downloaded)],
        ['Deleted', String(result.deleted)],
        ['Moved', formatBytes(result.bytes)],
        ['Took', `${result.durationMs} ms`],
      ]));
      for (const conflict of result.conflicts) ctx.out(`conflict[SYNC_CONFLICT]: ${conflict}`);
      for (const refused of result.refused ?? []) ctx.out(`refused[SYNC_PATH_UNSAFE]: ${refused}`);
      return EXIT.OK;
    } finally {
      off();
    }
  },
};

/** `benchtop sync restore [--list] [PATH]`: the removed versions of this computer and of the host's volume. */
async function restore(ctx: CliContext): Promise<number> {
  const project = await ctx.core.projects.read(resolve(stringOption(ctx.args, 'project') ?? '.'));
  const sessions = await listSessions(ctx);
  const target = targetOf(ctx, sessions, project.dir) ?? (await clusterTargetOf(ctx, project.name));
  const entries = await trashListFor(ctx.core.sync, ctx.core.sessions, project.dir, target);
  const path = ctx.args.positional[1];
  if (flag(ctx.args, 'list') || path === undefined) {
    const shown = path === undefined ? entries : entries.filter((e) => e.path === path);
    if (ctx.json) {
      ctx.out(JSON.stringify(shown, null, 2));
      return EXIT.OK;
    }
    if (shown.length === 0) {
      ctx.out(`No removed versions are kept for ${project.dir}${target ? ` (here or on ${target})` : ''}.`);
      return EXIT.OK;
    }
    ctx.out(columns(['REMOVED', 'WHERE', 'HOW', 'SIZE', 'PATH'], shown.map((e) => [e.removedAt.replace('T', ' ').slice(0, 19), e.where, e.kind, formatBytes(e.size), e.path])));
    return EXIT.OK;
  }
  const newest: TrashEntry | undefined = entries.find((e) => e.path === path);
  if (!newest) {
    throw new BenchtopError('TRASH_NOT_FOUND', `No removed version of "${path}" is kept for ${project.dir}${target ? ` (here or on ${target})` : ''}.`,
      'See what is kept with `benchtop sync restore --list` (paths are relative to the notebooks folder).');
  }
  const result = await trashRestoreFor(ctx.core.sync, ctx.core.sessions, project.dir, newest);
  if (ctx.json) {
    ctx.out(JSON.stringify({ ...result, from: newest }, null, 2));
    return EXIT.OK;
  }
  ctx.out(`Restored ${result.restored} (${newest.kind} ${newest.removedAt.replace('T', ' ').slice(0, 19)}, kept ${newest.where === LOCAL ? 'on this computer' : `on ${newest.where}`}).`);
  if (target) ctx.out(`The next sync with ${target} carries it there.`);
  return EXIT.OK;
}

async function listSessions(ctx: CliContext): Promise<SessionInfo[]> {
  try {
    return await ctx.core.sessions.list();
  } catch (error) {
    // No engine reachable: the sync names its host explicitly or fails with its own reason.
    ctx.core.log.debug(`sessions not listed: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  }
}

/** The cluster where your session of this project is queued or runs (if exactly one): its notebooks are a folder there. */
async function clusterTargetOf(ctx: CliContext, projectName: string): Promise<string | undefined> {
  if (ctx.core.slurm.clusterIds().length === 0) return undefined;
  const mine = (await ctx.core.slurm.list().catch((e: unknown) => {
    ctx.core.log.ignored('listing cluster sessions to find the sync target', e);
    return [];
  })).filter((s) => s.mine && s.projectName === projectName && s.state !== 'ended' && s.state !== 'failed');
  const targets = [...new Set(mine.map((s) => s.target))];
  return targets.length === 1 ? targets[0] : undefined;
}

/** --target, else the host where this project's session runs (if exactly one), else the default target. */
function targetOf(ctx: CliContext, sessions: readonly SessionInfo[], dir: string): string | undefined {
  const remote = sessions.filter((s) => s.projectDir === dir && s.target !== LOCAL && s.state === 'ready');
  const target = stringOption(ctx.args, 'target') ?? (remote.length === 1 ? remote[0].target : undefined) ?? ctx.core.settings.get('defaultTarget');
  return target && target !== LOCAL ? target : undefined;
}
