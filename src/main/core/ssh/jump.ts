/** One hop of a ProxyJump list: `[user@]host[:port]` or `ssh://[user@]host[:port]`. */
export interface JumpHop {
  user?: string;
  host: string;
  port?: number;
}

/**
 * Parses a ProxyJump value (`none`, or hops separated by commas, first hop first). A hop that does
 * not parse is returned as undefined so the caller can name it in its error.
 */
export function parseProxyJump(value: string | undefined): { hops: JumpHop[]; invalid?: string } {
  if (!value || value.trim().toLowerCase() === 'none') return { hops: [] };
  const hops: JumpHop[] = [];
  for (const raw of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const hop = parseHop(raw);
    if (!hop) return { hops, invalid: raw };
    hops.push(hop);
  }
  return { hops };
}

function parseHop(raw: string): JumpHop | undefined {
  let rest = raw.replace(/^ssh:\/\//i, '').replace(/\/$/, '');
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (!user) return undefined;
  }
  let host = rest;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (bracketed) {
    host = bracketed[1];
    portText = bracketed[2];
  } else if ((rest.match(/:/g) ?? []).length === 1) {
    [host, portText] = rest.split(':');
  }
  if (!host || !/^[A-Za-z0-9_.%:-]+$/.test(host)) return undefined;
  if (portText !== undefined) {
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) return undefined;
    return { user, host, port };
  }
  return { user, host };
}

/** How a hop is written back in messages: `user@host:port` with only the parts that were given. */
export function formatHop(hop: JumpHop): string {
  return `${hop.user ? `${hop.user}@` : ''}${hop.host}${hop.port ? `:${hop.port}` : ''}`;
}
