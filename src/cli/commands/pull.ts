import type { PullProgress } from '../../shared/contract/sessions';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';
import { follow } from '../follow';
import { formatBytes } from '../output';
import type { Command } from './types';

/** One progress line for a terminal: `downloading 120.5 MB / 310.2 MB  12.1 MB/s  16 s left  3/7 layers`. */
function pullLine(p: PullProgress): string {
  const total = p.bytesTotal > 0 ? ` / ${formatBytes(p.bytesTotal)}` : '';
  const rate = p.rate > 0 ? `  ${formatBytes(p.rate)}/s` : '';
  const eta = p.etaSeconds !== undefined && p.phase === 'downloading' ? `  ${p.etaSeconds} s left` : '';
  return `${p.phase.padEnd(11)} ${formatBytes(p.bytesDone)}${total}${rate}${eta}  ${p.layersDone}/${p.layersTotal} layers`;
}

/** Prints an operation's steps and pull progress to stderr (stdout stays for the answer); returns the unsubscriber. */
export function showProgress(ctx: CliContext, opId: string): () => void {
  const tty = process.stderr.isTTY;
  let lastLine = '';
  // Ctrl-C cancels the operation cleanly (a pull stops, a half-started session is cleaned up).
  const off = follow(ctx, opId, {
    operationStep: (s) => {
      if (tty && lastLine) process.stderr.write('\n');
      lastLine = '';
      ctx.err(`» ${s.step}${s.detail ? ` ${s.detail}` : ''}`);
    },
    pullProgress: (p) => {
      const line = pullLine(p);
      if (line === lastLine) return;
      lastLine = line;
      // On a terminal the line is redrawn in place; in a log every update is its own line.
      if (tty) process.stderr.write(`\r\x1b[2K  ${line}`);
      else ctx.err(`  ${line}`);
    },
  }, { children: false, cancelOnInterrupt: true });
  return () => {
    if (tty && lastLine) process.stderr.write('\n');
    off();
  };
}

export const pullCommand: Command = {
  name: 'pull',
  usage: `benchtop pull <image-ref> [--json]

Pulls through the local engine with the registry login Benchtop knows (Settings or \`docker login\`),
checks free disk space first and, for a digest reference, that the pulled image has that digest.`,
  options: {},
  async run(ctx) {
    const [ref] = ctx.args.positional;
    const opId = ctx.newOpId();
    const stop = ctx.json ? () => undefined : showProgress(ctx, opId);
    try {
      const result = await ctx.handlers.imagePull({ opId, ref: ref ?? '' });
      if (ctx.json) ctx.out(JSON.stringify(result, null, 2));
      else ctx.out(`${result.skipped ? 'Already present' : 'Pulled'}: ${result.digest}`);
      return EXIT.OK;
    } finally {
      stop();
    }
  },
};
