import { createInterface } from 'node:readline/promises';
import { dirname, resolve } from 'node:path';
import type { LinkPlan } from '../../shared/contract/links';
import { BenchtopError } from '../../main/core/errors';
import { flag, stringOption } from '../args';
import { EXIT } from '../exit-codes';
import { showProgress } from './pull';
import type { Command } from './types';

/** The plan as the consent dialog shows it, for a terminal. */
export function planText(plan: LinkPlan): string {
  const lines: string[] = [];
  const fact = (label: string, value: string | undefined) => value && lines.push(`  ${label.padEnd(12)} ${value}`);
  fact('repository', plan.repo);
  fact('ref', plan.ref);
  fact('commit', plan.commit);
  fact('folder', plan.targetDir);
  fact('image', plan.image);
  fact('registry', plan.registry);
  fact('team file', plan.teamSource);
  for (const h of plan.hosts) lines.push(`  host         ${h.id} ${h.address}  trusted only with ${h.fingerprints.join(' or ')}`);
  lines.push('What will happen:', ...plan.steps.map((s, i) => `  ${i + 1}. ${s}`));
  for (const w of plan.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

async function askYes(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export const openLinkCommand: Command = {
  name: 'open-link',
  usage: `benchtop open-link 'benchtop://open?repo=https://…&ref=…' [--dir DIR] [--yes] [--no-open] [--json]
benchtop open-link 'benchtop://join?team=https://…/team.json' [--yes]

Shows what the link will do (the repository and commit, the folder, the pinned image and its
registry, the team's hosts with the key fingerprints that will be trusted) and asks before doing
anything; --yes agrees without asking (needed when stdin is not a terminal). An open link clones
the repository with the system git into DIR (default: ~/Benchtop/<name>, or BENCHTOP_PROJECTS_DIR;
never over a folder that has files), adds the team's hosts, then runs \`benchtop up\` there.`,
  options: {
    dir: { type: 'string', value: 'DIR', help: 'the project folder to clone into (missing or empty)' },
    yes: { type: 'boolean', help: 'agree to the plan without asking' },
    'no-open': { type: 'boolean', help: 'do not open the notebook in the browser' },
  },
  async run(ctx) {
    const url = ctx.args.positional[0];
    if (!url) throw new BenchtopError('INVALID_ARGUMENT', 'Which link? Give it in quotes: benchtop open-link \'benchtop://open?repo=…\'.');
    const dirOption = stringOption(ctx.args, 'dir');
    const dir = dirOption ? resolve(dirOption) : undefined;
    const plan = await ctx.handlers.linkPlan({ opId: ctx.newOpId(), url, ...(dir ? { parentDir: dirname(dir) } : {}) });
    if (dir) plan.targetDir = dir;
    if (!ctx.json) ctx.err(planText(plan));
    if (!flag(ctx.args, 'yes')) {
      const agreed = process.stdin.isTTY ? await askYes('Go ahead? [y/N] ') : false;
      if (!agreed) {
        await ctx.handlers.linkCancel({ planId: plan.planId });
        if (!process.stdin.isTTY) throw new BenchtopError('INVALID_ARGUMENT', 'Not confirmed: stdin is not a terminal, so Benchtop cannot ask.', 'Read the plan above, then run the command again with --yes.');
        ctx.err('Nothing was done.');
        return EXIT.NEGATIVE;
      }
    }
    const done = await ctx.handlers.linkConfirm({ opId: ctx.newOpId(), planId: plan.planId, ...(dir ? { dir } : {}) });
    for (const h of done.hosts) ctx.err(`host ${h.id}: ${h.status}${h.message ? ` (${h.message})` : ''}`);
    if (!done.dir) {
      if (ctx.json) ctx.out(JSON.stringify({ plan, ...done }, null, 2));
      else ctx.err('Joined the team.');
      return EXIT.OK;
    }
    ctx.err(`Cloned into ${done.dir}.`);
    const opId = ctx.newOpId();
    const stop = ctx.json ? () => undefined : showProgress(ctx, opId);
    try {
      const info = await ctx.handlers.sessionUp({ opId, dir: done.dir, open: flag(ctx.args, 'no-open') ? undefined : 'browser' });
      if (ctx.json) ctx.out(JSON.stringify({ plan, dir: done.dir, hosts: done.hosts, session: info }, null, 2));
      else {
        ctx.err(`Session ${info.id} is ${info.state} on ${info.target}.`);
        ctx.out(info.url ?? '');
      }
      return EXIT.OK;
    } finally {
      stop();
    }
  },
};
