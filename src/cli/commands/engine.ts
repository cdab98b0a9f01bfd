import { EXIT } from '../exit-codes';
import { stringOption } from '../args';
import { table } from '../output';
import type { Command } from './types';

export const engineCommand: Command = {
  name: 'engine',
  summary: 'Show which container engine a target uses: endpoint, version, API, storage driver, runtimes',
  usage: `benchtop engine [--target local|HOST] [--json]

Finds the local engine from DOCKER_HOST, then the current Docker context, then the usual sockets
(Docker Desktop, Colima, Podman, /var/run/docker.sock), and says which one it used.`,
  options: {
    target: { type: 'string', value: 'local|HOST', help: 'where: this computer (local) or a host id from `benchtop host ls`' },
  },
  async run(ctx) {
    const info = await ctx.core.engines.info(stringOption(ctx.args, 'target') ?? 'local');
    if (ctx.json) {
      ctx.out(JSON.stringify(info, null, 2));
      return EXIT.OK;
    }
    ctx.out(
      table([
        ['Target', info.target],
        ['Endpoint', `${info.endpoint.kind} ${info.endpoint.address}`],
        ['Found by', info.endpoint.source],
        ['Engine', `${info.engineKind} ${info.version}`],
        ['API version', info.apiVersion],
        ['OS / arch', `${info.os} / ${info.arch}`],
        ['Storage driver', info.storageDriver],
        ['Runtimes', `${info.runtimes.join(', ') || 'none'} (default ${info.defaultRuntime})`],
        ['CDI devices', info.cdiDevices.join(', ') || 'none'],
        ['CPUs / memory', `${info.cpus} / ${(info.memoryBytes / 2 ** 30).toFixed(1)} GiB`],
        ['Data root', info.dockerRootDir],
      ]),
    );
    return EXIT.OK;
  },
};
