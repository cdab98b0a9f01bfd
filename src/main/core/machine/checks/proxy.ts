import { parseImageRef } from '../../registry/image-ref';
import { redactUrl } from '../format';
import { isLoopback, noProxyCovers } from '../no-proxy';
import type { MachineCheck } from '../types';
import { imageToRun } from '../../project/image-to-run';

const read = (env: NodeJS.ProcessEnv, name: string) => env[name] || env[name.toLowerCase()] || undefined;

function registryOf(image: string | undefined): string | undefined {
  if (!image) return undefined;
  try {
    return parseImageRef(image).registry;
  } catch {
    return undefined;
  }
}

/**
 * Proxies this app and the engine use. The engine pulls images with its own settings (a daemon
 * does not see the user's shell), so both are shown; a registry that the proxy would carry is a
 * warning, because internal registries behind a proxy are the classic "pull hangs" case.
 */
export const proxyCheck: MachineCheck = {
  id: 'proxy',
  title: 'Proxy',
  async run(ctx) {
    const ours = { http: read(ctx.env, 'HTTP_PROXY'), https: read(ctx.env, 'HTTPS_PROXY'), no: read(ctx.env, 'NO_PROXY') };
    const engine = await ctx.engine();
    const theirs = engine.ok ? engine.proxy : {};
    const describe = (p: { http?: string; https?: string; no?: string }) =>
      [p.http && `HTTP_PROXY=${redactUrl(p.http)}`, p.https && `HTTPS_PROXY=${redactUrl(p.https)}`, p.no && `NO_PROXY=${p.no}`].filter(Boolean).join(' ');
    const oursText = describe(ours);
    const theirsText = describe(theirs);
    if (!ours.http && !ours.https && !theirs.http && !theirs.https) {
      return { status: 'pass', value: `no proxy${ours.no ? ` (${oursText})` : ''}` };
    }
    const value = [`this app: ${oursText || 'none'}`, engine.ok ? `engine: ${theirsText || 'none'}` : undefined].filter(Boolean).join('; ');
    const registry = registryOf(ctx.project ? imageToRun(ctx.project) : undefined);
    if (!registry) return { status: 'pass', value };
    const requirement = `registry ${registry} reachable`;
    const through = [
      (ours.http || ours.https) && !noProxyCovers(ours.no, registry) ? 'this app' : undefined,
      (theirs.http || theirs.https) && !noProxyCovers(theirs.no, registry) ? 'the engine' : undefined,
    ].filter((w): w is string => Boolean(w));
    if (isLoopback(registry) || through.length === 0) return { status: 'pass', value: `${value}; ${registry} bypasses the proxy`, requirement };
    return { status: 'warn', value: `${value}; ${registry} goes through the proxy for ${through.join(' and ')}`, requirement,
      hint: `If ${registry} is an internal registry, add it to NO_PROXY${through.includes('the engine') ? ' (for the engine: its systemd drop-in or daemon.json "proxies")' : ''}.` };
  },
};
