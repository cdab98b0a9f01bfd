import { dirname } from 'node:path';
import { BenchtopError } from '../../main/core/errors';
import { forwarderSocketPath } from '../../main/core/forwarder/paths';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';
import { columns } from '../output';
import type { Command } from './types';

/** A positive whole number of milliseconds from the environment (tests shorten the forwarder's rhythm). */
function msFromEnv(ctx: CliContext, name: string): number | undefined {
  const text = ctx.core.env[name];
  if (text === undefined || text === '') return undefined;
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms <= 0) throw new BenchtopError('INVALID_ARGUMENT', `${name}=${text} is not a number of milliseconds.`, `Unset ${name}, or give e.g. ${name}=5000.`);
  return ms;
}

async function serve(ctx: CliContext): Promise<number> {
  // Loaded here: only the forwarder process itself runs it.
  const { runForwarder } = await import('../../main/core/forwarder/daemon');
  const hosts = ctx.core.hosts;
  await runForwarder({
    socketPath: forwarderSocketPath(dirname(ctx.core.settings.path)),
    log: ctx.core.log.child('forwarder'),
    transport: {
      ready: async (target) => void (await hosts.connection(target).client()),
      openTcp: (target, port, remoteHost) => hosts.connection(target).openTcp(remoteHost ?? '127.0.0.1', port),
      closeAll: () => hosts.closeAll(),
    },
    checkEveryMs: msFromEnv(ctx, 'BENCHTOP_FORWARDER_CHECK_MS'),
    lingerMs: msFromEnv(ctx, 'BENCHTOP_FORWARDER_LINGER_MS'),
  });
  return EXIT.OK;
}

export const forwarderCommand: Command = {
  name: 'forwarder',
  usage: `benchtop forwarder [status]   [--json]
benchtop forwarder stop       [--json]
benchtop forwarder serve      [--verbose]

A notebook on a host is reached through a port on this computer's 127.0.0.1 that Benchtop carries
over SSH. So that a URL printed by \`up\`, \`move\`, \`restart\`, \`ps\` or \`open\` keeps answering
after the command exits, one small forwarder per user (and settings folder) carries those ports in
the background. The first command that needs it starts it; it listens on 127.0.0.1 only, takes
requests only from this user (a socket in the settings folder), drops a session's port once the
session stops, and exits when no session is left. Its log goes to the same log file.

status: the forwarded ports (exit 1 when no forwarder runs).
stop:   closes every forwarded port and ends the forwarder (URLs stop answering until the next command).
serve:  runs the forwarder in the foreground (what the first command starts in the background).

BENCHTOP_FORWARDER=off makes each command forward for itself: URLs then die with the command.`,
  options: {},
  async run(ctx) {
    const [action = 'status', extra] = ctx.args.positional;
    if (extra !== undefined) throw new BenchtopError('INVALID_ARGUMENT', `benchtop forwarder ${action} takes no further words (got "${extra}").`, 'See `benchtop forwarder --help`.');
    if (action === 'serve') return serve(ctx);
    const { cliForwarder } = await import('../forwarder');
    const client = cliForwarder(dirname(ctx.core.settings.path), ctx.core.env, ctx.core.log);
    if (action === 'stop') {
      const stopped = await client.stop();
      ctx.out(ctx.json ? JSON.stringify({ stopped }, null, 2) : stopped ? 'The forwarder is stopping; forwarded notebook URLs stop answering.' : 'No forwarder is running.');
      return EXIT.OK;
    }
    if (action !== 'status') throw new BenchtopError('INVALID_ARGUMENT', `Unknown forwarder action "${action}".`, 'Use status, stop or serve (see `benchtop forwarder --help`).');
    const status = await client.status();
    if (ctx.json) {
      ctx.out(JSON.stringify(status ? { running: true, ...status } : { running: false, forwards: [] }, null, 2));
    } else if (!status) {
      ctx.out('No forwarder is running (the next command that needs one starts it).');
    } else {
      ctx.out(`Forwarder ${status.pid}: ${status.forwards.length} port(s).`);
      if (status.forwards.length) {
        ctx.out(columns(['LOCAL', 'HOST', 'REMOTE', 'SINCE', 'CONNECTIONS'], status.forwards.map((f) => [
          `127.0.0.1:${f.localPort}`, f.target, `${f.remoteHost ?? '127.0.0.1'}:${f.remotePort}`, f.since, String(f.connections),
        ])));
      }
    }
    return status ? EXIT.OK : EXIT.NEGATIVE;
  },
};
