import { resolve } from 'node:path';
import { LOCAL } from '../../main/core/engine/service';
import { BenchtopError } from '../../main/core/errors';
import { stringOption } from '../args';
import { EXIT } from '../exit-codes';
import { formatBytes, table } from '../output';
import type { Command } from './types';

export const syncCommand: Command = {
  name: 'sync',
  summary: "Two-way sync of a project's notebooks and lockfile with its volume on a host",
  usage: `benchtop sync [DIR] [--target HOST] [--json]

Carries what changed on either side since the last sync, deletions included, between DIR's
notebooks folder (default: the current folder's project) and the project's notebooks volume on
HOST (default: the host where the project's session runs, else the default target). When a file
changed on both sides, both versions are kept: the host's as "NAME (conflict from HOST DATE).EXT".`,
  options: {
    target: { type: 'string', value: 'HOST', help: 'the host to sync with (default: where the session of the project runs)' },
  },
  async run(ctx) {
    const dir = resolve(ctx.args.positional[0] ?? '.');
    const project = await ctx.core.projects.read(dir);
    // Listed once: it tells the default host and the session whose container the sync goes through.
    const sessions = await ctx.core.sessions.list().catch(() => []);
    const target = stringOption(ctx.args, 'target') ?? remoteTargetOf(sessions, project.dir) ?? ctx.core.settings.get('defaultTarget');
    if (!target || target === LOCAL) {
      throw new BenchtopError('INVALID_ARGUMENT', `No host to sync ${project.dir} with: no session of it runs on a host and the default target is this computer.`,
        'Name one: `benchtop sync --target HOST`.');
    }
    const session = sessions.find((s) => s.projectDir === project.dir && s.target === target && s.state === 'ready');
    const opId = ctx.newOpId();
    const off = ctx.json ? () => undefined : ctx.core.bus.on('syncProgress', (p) => {
      if (p.opId === opId && p.phase !== 'scanning' && p.filesTotal > 0) ctx.err(`${p.phase} ${p.filesDone}/${p.filesTotal} files, ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}`);
    });
    try {
      const result = await ctx.core.sync.sync({ opId, projectDir: project.dir, target, containerId: session?.name, sessionId: session?.id,
        image: session ? `${session.image.split('@')[0]}@${session.digest}` : undefined });
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
      return EXIT.OK;
    } finally {
      off();
    }
  },
};

/** The host where this project's session runs, if exactly one does. */
function remoteTargetOf(sessions: readonly { projectDir: string; target: string; state: string }[], dir: string): string | undefined {
  const remote = sessions.filter((s) => s.projectDir === dir && s.target !== LOCAL && s.state === 'ready');
  return remote.length === 1 ? remote[0].target : undefined;
}
