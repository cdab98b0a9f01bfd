import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { HostAddResult, HostInfo } from '../../shared/contract/hosts';
import { flag, stringOption } from '../args';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';
import { columns, table } from '../output';
import { BenchtopError } from '../../main/core/errors';
import { hostPolicy, POLICY_OPTIONS } from './host-policy';
import { describeClusterHost, SLURM_HOST_OPTIONS, slurmHostOptions } from './slurm-cli';
import type { Command } from './types';

const USAGE = `benchtop host add SPEC [--identity FILE] [--docker-socket PATH] [--cert-path DIR] [--insecure] [--trust SHA256:…] [--json]
benchtop host trust HOST SHA256:…   [--json]
benchtop host test HOST             [--json]
benchtop host ls                    [--json]
benchtop host rm HOST               [--json]
benchtop host join [DIR]            [--json]
benchtop host policy HOST [--max-gpus-per-user N] [--lease-hours D] [--max-lease-hours M] [--idle-minutes I] [--gpu-idle-util P] [--json]

SPEC is user@host[:port], slurm://user@login-node[:port] (a Slurm cluster: sessions there are jobs; with
--partition, --account, --qos, --shared-dir, --runtime, --rest-url), an alias from ~/.ssh/config, tcp://host:2376 (with --cert-path holding
ca.pem, cert.pem, key.pem; a tcp:// engine without TLS needs --insecure, since anyone on the network
can then drive it) or context:<docker context>. ProxyJump, ProxyCommand, Include, Match and
IdentityAgent in ~/.ssh/config work as with ssh (Benchtop asks \`ssh -G\`); every hop's key is checked. An SSH host whose key is not in
~/.ssh/known_hosts is not added until you trust its fingerprint: compare it with the one the host's
admin gives you, then run \`benchtop host trust\` (or pass --trust to add in one step).
policy shows the host's GPU rules, or (with options, once, by its admin) sets them: they are stored on
the host's engine, shown and obeyed by every teammate's Benchtop and enforced by the host's agent.
join adds the hosts of the team file (DIR/.benchtop/team.json, else the team file set in Settings),
trusting exactly the key fingerprints it lists; a host showing another key is left untrusted. A
listed Slurm cluster is added as slurm://YOU@LOGIN-NODE (your Settings user name, else ssh's User).
Exit codes: 0 done; 1 the host needs trust (add) or is not reachable (test); 2 error.`;

/** `host join [DIR]`: the team file's hosts, trusted by exactly the fingerprints it lists. */
async function joinTeamHosts(ctx: CliContext, dir: string | undefined): Promise<number> {
  // Without DIR: this folder's team file when it is a project, else the team file set in Settings.
  const here = existsSync(join(process.cwd(), '.devcontainer')) ? process.cwd() : undefined;
  const { hosts } = await ctx.handlers.teamJoinHosts(dir ? { dir: resolve(dir) } : here ? { dir: here } : {});
  if (ctx.json) ctx.out(JSON.stringify(hosts, null, 2));
  else if (hosts.length === 0) ctx.out('The team file lists no hosts.');
  else ctx.out(columns(['HOST', 'RESULT', 'DETAIL'], hosts.map((h) => [h.id, h.status, h.message ?? ''])));
  return hosts.every((h) => h.status === 'added' || h.status === 'trusted') ? EXIT.OK : EXIT.NEGATIVE;
}

function needArg(value: string | undefined, what: string): string {
  if (!value) throw new BenchtopError('INVALID_ARGUMENT', `Missing ${what}.`, 'Run `benchtop host --help` for the usage.');
  return value;
}

function describe(host: HostInfo): string {
  if (host.kind === 'slurm') return describeClusterHost(host);
  const engine = host.engine;
  return table([
    ['Host', `${host.id} (${host.spec})`],
    ['Address', host.user ? `${host.user}@${host.hostname}:${host.port}` : `${host.hostname}:${host.port}`],
    ['Status', host.message ? `${host.status}: ${host.message}` : host.status],
    ...(host.warning ? [['Warning', host.warning] as [string, string]] : []),
    ...(host.fingerprint ? [['Host key', host.fingerprint] as [string, string]] : []),
    ...(engine
      ? ([
          ['Engine', `${engine.engineKind} ${engine.version} (API ${engine.apiVersion}) via ${engine.endpoint.kind} ${engine.endpoint.address}`],
          ['OS / arch', `${engine.os} / ${engine.arch}`],
          ['Runtimes', `${engine.runtimes.join(', ') || 'none'} (default ${engine.defaultRuntime})`],
          ['CPUs / memory', `${engine.cpus} / ${(engine.memoryBytes / 2 ** 30).toFixed(1)} GiB`],
        ] as [string, string][])
      : []),
    ['GPUs', host.gpus.length ? host.gpus.map((g) => `${g.index}: ${g.name} (${Math.round(g.memoryMiB / 1024)} GiB)`).join('; ') : 'none'],
    ['GPU leases', host.leases.length ? host.leases.map((l) => `${l.gpu} → ${l.holder}`).join('; ') : 'none'],
    ['Sessions', String(host.sessions)],
  ]);
}

async function add(ctx: CliContext, spec: string): Promise<number> {
  const trust = stringOption(ctx.args, 'trust');
  let result: HostAddResult = await ctx.handlers.hostAdd({
    spec,
    identityFile: stringOption(ctx.args, 'identity'),
    dockerSocket: stringOption(ctx.args, 'docker-socket'),
    certPath: stringOption(ctx.args, 'cert-path'),
    insecure: flag(ctx.args, 'insecure') || undefined,
    slurm: slurmHostOptions(ctx),
  }) as HostAddResult;
  if (result.status === 'needs-trust' && trust) {
    result = { status: 'added', host: await ctx.handlers.hostTrust({ hostId: result.hostId, fingerprint: trust }) as HostInfo };
  }
  if (ctx.json) {
    ctx.out(JSON.stringify(result, null, 2));
    return result.status === 'added' ? EXIT.OK : EXIT.NEGATIVE;
  }
  if (result.status === 'added') {
    ctx.out(describe(result.host));
    return EXIT.OK;
  }
  const whose = result.jumpHost ? `the jump host ${result.jumpHost} (on the way to ${result.hostId})` : `host ${result.hostId}`;
  ctx.out(`The authenticity of ${whose} cannot be established: it is not in known_hosts yet.
Its ${result.keyType} key fingerprint is ${result.fingerprint}.
If that is the fingerprint the host's admin gave you, run:
  benchtop host trust ${result.hostId} ${result.fingerprint}`);
  return EXIT.NEGATIVE;
}

export const hostCommand: Command = {
  name: 'host',
  usage: USAGE,
  options: {
    identity: { type: 'string', value: 'FILE', help: 'add: the SSH private key to use' },
    'docker-socket': { type: 'string', value: 'PATH', help: 'add: the engine socket on the host' },
    'cert-path': { type: 'string', value: 'DIR', help: 'add: ca.pem, cert.pem and key.pem for a tcp:// host' },
    trust: { type: 'string', value: 'SHA256:…', help: "add: accept this host-key fingerprint in one step" },
    insecure: { type: 'boolean', help: 'add: accept a tcp:// engine without TLS (anyone on the network can drive it)' },
    ...POLICY_OPTIONS,
    ...SLURM_HOST_OPTIONS,
  },
  async run(ctx) {
    const [action, id, extra] = ctx.args.positional;
    const print = (value: unknown, human: () => string) => ctx.out(ctx.json ? JSON.stringify(value, null, 2) : human());
    switch (action) {
      case 'policy':
        return hostPolicy(ctx, needArg(id, 'the host id'));
      case 'join':
        return joinTeamHosts(ctx, id);
      case 'add':
        return add(ctx, needArg(id, 'the host to add (user@host[:port], an ssh alias, tcp://… or context:…)'));
      case 'trust': {
        const host = await ctx.handlers.hostTrust({ hostId: needArg(id, 'the host id'), fingerprint: needArg(extra, 'the SHA256:… fingerprint you accept') }) as HostInfo;
        print(host, () => describe(host));
        return EXIT.OK;
      }
      case 'test': {
        const host = await ctx.handlers.hostTest({ hostId: needArg(id, 'the host id') }) as HostInfo;
        print(host, () => describe(host));
        return host.status === 'ok' ? EXIT.OK : EXIT.NEGATIVE;
      }
      case 'ls':
      case 'list': {
        const hosts = await ctx.handlers.hostList(undefined) as HostInfo[];
        print(hosts, () => hosts.length === 0
          ? 'No hosts yet. Add one with `benchtop host add user@host`.'
          : columns(['HOST', 'ADDRESS', 'STATUS', 'ENGINE', 'GPUS', 'SESSIONS'], hosts.map((h) => [
            h.id, `${h.user ? `${h.user}@` : ''}${h.hostname}:${h.port}`, h.warning ? `${h.status} (insecure)` : h.status,
            h.kind === 'slurm' ? 'slurm' : h.engine ? `${h.engine.engineKind} ${h.engine.version}` : '-', String(h.cluster?.gpus ?? h.gpus.length), String(h.sessions),
          ])));
        return EXIT.OK;
      }
      case 'rm':
      case 'remove': {
        const removed = await ctx.handlers.hostRemove({ hostId: needArg(id, 'the host id') });
        print(removed, () => `Removed ${id}. Its key stays in known_hosts.`);
        return EXIT.OK;
      }
      default:
        throw new BenchtopError('INVALID_ARGUMENT', action ? `Unknown host action "${action}".` : 'Missing the host action.', 'Use add, trust, test, ls, rm or policy (see `benchtop host --help`).');
    }
  },
};
