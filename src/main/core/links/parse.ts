import type { ParsedLink } from '../../../shared/contract/links';
import { BenchtopError } from '../errors';

/**
 * The `benchtop://` link parser. A link comes from anywhere (a chat message, a web page), so it is
 * read by an allow-list: two actions, known parameters once each, https git URLs (plain http only to
 * this computer's loopback), refs and folder names from a small alphabet. Anything else is
 * LINK_INVALID naming what was wrong; nothing in a link ever reaches a shell or a git option.
 */

export const MAX_LINK_LENGTH = 2048;
const MAX_URL_LENGTH = 1024;
const PARAMS = { open: ['repo', 'ref', 'name'], join: ['team'] } as const;
/** Host names and IPv4 addresses (IPv6 literals only as loopback). */
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const URL_PATH = /^\/[A-Za-z0-9._~/-]*$/;
const REF = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/;
export const FOLDER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function refuse(what: string, hint = 'Ask whoever sent the link for a new one; Benchtop opens only benchtop://open?repo=https://… and benchtop://join?team=https://… links.'): never {
  throw new BenchtopError('LINK_INVALID', `This benchtop:// link was refused: ${what}.`, hint);
}

/** Control characters, DEL, and the Unicode bidi/format characters that make text read differently than it is. */
function hasControl(text: string): boolean {
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0xfeff) return true;
  }
  return false;
}

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname);
}

/** An https URL (http only to loopback) without credentials, query or fragment, with a plain path. */
function webUrl(value: string, param: string, allowQuery: boolean): URL {
  if (value.length > MAX_URL_LENGTH) refuse(`"${param}" is longer than ${MAX_URL_LENGTH} characters`);
  if (!/^https?:\/\//i.test(value)) refuse(`"${param}" must be an https:// address (not ${JSON.stringify(value.slice(0, 40))})`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    refuse(`"${param}" is not a valid address`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) refuse(`"${param}" uses plain http; only https is allowed (http only on this computer's 127.0.0.1)`);
  if (url.username || url.password) refuse(`"${param}" carries a user name or password; links never carry credentials`);
  if (!isLoopbackHost(url.hostname) && !HOSTNAME.test(url.hostname)) refuse(`"${param}" has an invalid host name`);
  if (url.hash) refuse(`"${param}" has a #fragment`);
  if (url.search && !allowQuery) refuse(`"${param}" has a ?query`);
  if (!URL_PATH.test(url.pathname)) refuse(`"${param}" has unexpected characters in its path`);
  if (url.pathname.split('/').some((segment) => segment === '..' || segment === '.')) refuse(`"${param}" has a . or .. path segment`);
  return url;
}

function repoName(url: URL): string {
  const last = url.pathname.replace(/\/+$/, '').split('/').pop() ?? '';
  return last.replace(/\.git$/, '');
}

function checkRef(ref: string): string {
  if (!REF.test(ref)) refuse('"ref" must be a branch or tag name (letters, digits, . _ / -), starting with a letter or digit');
  if (ref.includes('..') || ref.includes('//') || ref.endsWith('/') || ref.endsWith('.') || ref.endsWith('.lock') || ref.split('/').some((p) => p.startsWith('.'))) {
    refuse('"ref" is not a valid git branch or tag name');
  }
  return ref;
}

function checkName(name: string, where: string): string {
  if (!FOLDER_NAME.test(name) || name === '.' || name === '..' || name.endsWith('.')) {
    refuse(`${where} is not a safe folder name (letters, digits, . _ -; no path)`);
  }
  return name;
}

/** Parses a `benchtop://` link, or throws LINK_INVALID saying what was wrong. */
export function parseLink(input: unknown): ParsedLink {
  if (typeof input !== 'string') refuse('it is not text');
  if (input.length > MAX_LINK_LENGTH) refuse(`it is longer than ${MAX_LINK_LENGTH} characters`);
  if (hasControl(input)) refuse('it contains control or invisible characters');
  if (!/^benchtop:\/\//i.test(input)) refuse('it does not start with benchtop://');
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    refuse('it is not a well-formed link');
  }
  const action = url.hostname.toLowerCase();
  if (action !== 'open' && action !== 'join') refuse(`"${action.slice(0, 20)}" is not something a link can do (open or join)`);
  if (url.username || url.password || url.port) refuse('it carries a user name, password or port');
  if (url.pathname !== '' && url.pathname !== '/') refuse('it has a path after the action');
  if (url.hash) refuse('it has a #fragment');
  const allowed: readonly string[] = PARAMS[action];
  const values = new Map<string, string>();
  for (const [key, value] of url.searchParams) {
    if (!allowed.includes(key)) refuse(`"${key.slice(0, 20)}" is not a parameter of ${action} links (known: ${allowed.join(', ')})`);
    if (values.has(key)) refuse(`"${key}" is given twice`);
    if (hasControl(value)) refuse(`"${key}" contains control or invisible characters`);
    values.set(key, value);
  }
  if (action === 'join') {
    const team = values.get('team');
    if (!team) refuse('a join link needs team=<https address of the team file>');
    return { action, team: webUrl(team, 'team', true).href };
  }
  const repo = values.get('repo');
  if (!repo) refuse('an open link needs repo=<https address of the git repository>');
  const repoUrl = webUrl(repo, 'repo', false);
  const ref = values.get('ref');
  const name = values.get('name');
  const link: ParsedLink = {
    action,
    repo: repoUrl.href,
    name: name !== undefined ? checkName(name, '"name"') : checkName(repoName(repoUrl), 'The repository\'s name'),
  };
  if (ref !== undefined) link.ref = checkRef(ref);
  return link;
}
