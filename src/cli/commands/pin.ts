import { resolve } from 'node:path';
import type { LockfileUpdate } from '../../shared/contract/project';
import { stringOption } from '../args';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';
import { table } from '../output';
import type { Command } from './types';

/** The project folder, or one named configuration of it (`--config NAME`: .devcontainer/NAME/devcontainer.json). */
export function projectArg(ctx: CliContext, positional?: string): string {
  const dir = resolve(positional ?? stringOption(ctx.args, 'dir') ?? '.');
  const config = stringOption(ctx.args, 'config');
  return config ? resolve(dir, '.devcontainer', config, 'devcontainer.json') : dir;
}

export const CONFIG_OPTION = { type: 'string', value: 'NAME', help: 'use .devcontainer/NAME/devcontainer.json (a project with several configurations)' } as const;

/** What happened to the lockfile, with the package changes when it changed. */
export function printLockfileUpdate(ctx: CliContext, update: LockfileUpdate | undefined): void {
  if (!update) return;
  const out = update.state === 'failed' ? ctx.err : ctx.out;
  out(`Lockfile: ${update.message}`);
  if (update.hint && (update.state === 'failed' || update.state === 'none')) out(`  hint: ${update.hint}`);
  if (update.state !== 'updated') return;
  for (const p of update.added) ctx.out(`  + ${p.name}==${p.to}`);
  for (const p of update.removed) ctx.out(`  - ${p.name}==${p.from}`);
  for (const p of update.changed) ctx.out(`  ~ ${p.name} ${p.from} -> ${p.to}`);
}

export const pinCommand: Command = {
  name: 'pin',
  usage: `benchtop pin [VERSION] [--dir DIR] [--config NAME] [--json]

Resolves VERSION (a tag of the project's image; default: the newest release tag) to its digest on
the registry and writes "image": "<repository>@sha256:…" into devcontainer.json, with the version
kept as a comment beside it. Nothing else in the file changes. The project's lockfile comes with
the pin: it is written from the image's own copy (read without running the image), and the package
changes are listed when it changes.`,
  options: {
    dir: { type: 'string', value: 'DIR', help: 'the project folder (default: the current folder)' },
    config: CONFIG_OPTION,
  },
  async run(ctx) {
    const pin = await ctx.core.imageVersions.pin(projectArg(ctx), ctx.args.positional[0]);
    if (ctx.json) {
      ctx.out(JSON.stringify(pin, null, 2));
      return pin.lockfile?.state === 'failed' ? EXIT.NEGATIVE : EXIT.OK;
    }
    ctx.out(table([['Pinned', pin.image], ['Version', pin.version ?? '-']]));
    printLockfileUpdate(ctx, pin.lockfile);
    // The pin stands; a lockfile that could not follow it is a problem `up` would meet next.
    return pin.lockfile?.state === 'failed' ? EXIT.NEGATIVE : EXIT.OK;
  },
};
