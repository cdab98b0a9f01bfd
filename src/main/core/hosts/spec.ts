import { BenchtopError } from '../errors';

/** How Benchtop reaches a host's engine; decided by the spec's form. */
export type HostKind = 'ssh' | 'tcp' | 'context';

/** A spec split into its parts; an SSH spec without user/port may still be an ~/.ssh/config alias. */
export type ParsedSpec =
  | { kind: 'ssh'; user?: string; hostname: string; port?: number; maybeAlias: boolean }
  | { kind: 'tcp'; url: string; hostname: string; port: number }
  | { kind: 'context'; name: string };

const HOSTNAME = /^[A-Za-z0-9_.%-]+$|^[0-9a-fA-F:]+$/;

function invalid(spec: string, why: string): BenchtopError {
  return new BenchtopError('HOST_INVALID', `"${spec}" is not a host Benchtop can use: ${why}.`,
    'Use user@host[:port], an alias from ~/.ssh/config, tcp://host:2376 or context:<docker context>.');
}

function parsePort(spec: string, raw: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) throw invalid(spec, `port "${raw}" is not a number from 1 to 65535`);
  return port;
}

/** A Slurm cluster's login node (`slurm://user@login[:port]`): an SSH host whose sessions are jobs. */
export function isSlurmSpec(spec: string): boolean {
  return /^slurm:\/\//i.test(spec.trim());
}

export function hostKindOf(spec: string): HostKind {
  if (/^(tcp|https?):\/\//i.test(spec)) return 'tcp';
  if (spec.startsWith('context:')) return 'context';
  return 'ssh';
}

export function parseHostSpec(input: string): ParsedSpec {
  const spec = input.trim();
  if (!spec) throw invalid(input, 'it is empty');
  const kind = hostKindOf(spec);
  if (kind === 'context') {
    const name = spec.slice('context:'.length);
    if (!/^[A-Za-z0-9][A-Za-z0-9_.+-]*$/.test(name)) throw invalid(spec, 'the context name is missing or malformed');
    return { kind, name };
  }
  if (kind === 'tcp') {
    let url: URL;
    try {
      url = new URL(spec);
    } catch {
      throw invalid(spec, 'it is not a valid URL');
    }
    if (!url.hostname) throw invalid(spec, 'it names no host');
    return { kind, url: spec, hostname: url.hostname, port: url.port ? Number(url.port) : 2376 };
  }
  // slurm://user@login is a cluster's login node: reached over SSH like any host.
  let rest = spec.replace(/^(ssh|slurm):\/\//i, '').replace(/\/$/, '');
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (!user) throw invalid(spec, 'the user name before "@" is empty');
  }
  let hostname = rest;
  let port: number | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.+))?$/.exec(rest);
  if (bracketed) {
    hostname = bracketed[1];
    if (bracketed[2] !== undefined) port = parsePort(spec, bracketed[2]);
  } else if ((rest.match(/:/g) ?? []).length === 1) {
    [hostname] = rest.split(':');
    port = parsePort(spec, rest.split(':')[1]);
  }
  if (!hostname || !HOSTNAME.test(hostname)) throw invalid(spec, `"${hostname}" is not a host name or address`);
  return { kind: 'ssh', user, hostname, port, maybeAlias: user === undefined && port === undefined };
}

/** A target id from a spec: short, stable, and safe in container labels and file names. */
export function hostIdFor(alias: string, port: number, defaultPort: number): string {
  const base = alias.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'host';
  const id = port === defaultPort ? base : `${base}-${port}`;
  return id === 'local' ? 'local-host' : id;
}

/** A tcp:// engine speaks TLS when its URL says https or a client certificate folder is given. */
export function isTlsEngine(spec: string, certPath: string | undefined): boolean {
  return /^https:\/\//i.test(spec) || Boolean(certPath);
}
