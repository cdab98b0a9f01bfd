import { BenchtopError } from '../errors';
import { isLoopbackHost } from '../links/parse';

/**
 * The update feed of electron-updater's generic provider: a folder at an https URL holding
 * latest.yml (latest-mac.yml, latest-linux.yml…) beside the installers. Only what deciding needs is
 * read here — the version and release date; electron-updater itself downloads and verifies the
 * installer (sha512 from the same file).
 */

const MAX_BYTES = 64 * 1024;
const TIMEOUT_MS = 15_000;

export interface FeedRelease {
  version: string;
  releaseDate?: string;
}

/** The channel file electron-updater reads on this platform. */
export function channelFile(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'latest-mac.yml';
  if (platform === 'linux') return 'latest-linux.yml';
  return 'latest.yml';
}

/** An update URL is https (plain http only on this computer's loopback, for tests and local mirrors). */
export function checkFeedUrl(url: string, from: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BenchtopError('UPDATE_CHECK_FAILED', `The update address ${url} (from ${from}) is not a URL.`, 'Set an https:// address of the folder holding latest.yml.');
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname))) {
    throw new BenchtopError('UPDATE_CHECK_FAILED', `The update address ${url} (from ${from}) is not https.`, 'Updates are installed code: publish them over https.');
  }
  if (parsed.username || parsed.password) throw new BenchtopError('UPDATE_CHECK_FAILED', `The update address (from ${from}) carries credentials.`, 'Remove the user name and password from the address.');
  return parsed;
}

/** The `version:` and `releaseDate:` of a latest.yml (top-level keys; quotes allowed). */
export function parseChannelFile(text: string, url: string): FeedRelease {
  const top = (key: string): string | undefined => {
    const m = new RegExp(`^${key}:[ \\t]*(.*)$`, 'm').exec(text);
    return m?.[1]?.trim().replace(/^(['"])(.*)\1$/, '$2') || undefined;
  };
  const version = top('version');
  if (!version || !/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(version)) {
    throw new BenchtopError('UPDATE_CHECK_FAILED', `${url} has no valid "version:" line.`, 'Check the update address: it should be the folder electron-builder published (with latest.yml).');
  }
  const releaseDate = top('releaseDate');
  return releaseDate ? { version, releaseDate } : { version };
}

/** Fetches and reads the channel file under `base`. */
export async function fetchRelease(base: URL, platform: NodeJS.Platform, fetchImpl: typeof fetch = fetch): Promise<FeedRelease> {
  const url = new URL(channelFile(platform), base.href.endsWith('/') ? base : new URL(`${base.href}/`));
  let response: Response;
  try {
    response = await fetchImpl(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
  } catch (error) {
    throw new BenchtopError('UPDATE_CHECK_FAILED', `${url.href} could not be fetched (${(error as Error).message}).`, 'Check the update address and your network; Benchtop tries again later.');
  }
  if (!response.ok) throw new BenchtopError('UPDATE_CHECK_FAILED', `${url.href} answered HTTP ${response.status}.`, 'Check the update address with whoever publishes the app.');
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > MAX_BYTES) throw new BenchtopError('UPDATE_CHECK_FAILED', `${url.href} is ${body.length} bytes; a channel file is small.`, 'Check the update address.');
  return parseChannelFile(body.toString('utf8'), url.href);
}

/** Semantic version order: 1 when a > b, -1 when a < b, 0 when equal (a pre-release sorts before its release). */
export function compareVersions(a: string, b: string): number {
  const split = (v: string) => {
    const [core = '', pre] = v.split('+')[0]?.split(/-(.*)/s) ?? [];
    return { nums: core.split('.').map(Number), pre: pre ?? '' };
  };
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < 3; i += 1) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.pre === y.pre) return 0;
  if (!x.pre) return 1;
  if (!y.pre) return -1;
  const xs = x.pre.split('.');
  const ys = y.pre.split('.');
  for (let i = 0; i < Math.max(xs.length, ys.length); i += 1) {
    const p = xs[i];
    const q = ys[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn && Number(p) !== Number(q)) return Math.sign(Number(p) - Number(q));
    if (pn !== qn) return pn ? -1 : 1;
    if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}
