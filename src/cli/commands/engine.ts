import { EXIT } from '../exit-codes';
import { stringOption } from '../args';
import { table } from '../output';
import type { EngineInfo } from '../../shared/contract/engine';
import { EngineService } from '../../main/core/engine/service';
import type { Command } from './types';

const LOCAL = 'local';

function show(ctx: { json: boolean; out(text: string): void }, info: EngineInfo): number {
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
}

export const engineCommand: Command = {
  name: 'engine',
  usage: `benchtop engine [--target local|HOST] [--json]

Finds the local engine from DOCKER_HOST, then the current Docker context, then the usual sockets
(Docker Desktop, Colima, Podman, /var/run/docker.sock), and says which one it used.`,
  options: {
    target: { type: 'string', value: 'local|HOST', help: 'where: this computer (local) or a host id from `benchtop host ls`' },
  },
  async run(ctx) {
    return show(ctx, await ctx.core.engines.info(stringOption(ctx.args, 'target') ?? 'local'));
  },
  // This computer's engine needs no core: one small service asks it over plain HTTP.
  light: {
    applies: (args) => (stringOption(args, 'target') ?? LOCAL) === LOCAL,
    run: async (ctx) => show(ctx, await new EngineService().info(LOCAL)),
  },
};
