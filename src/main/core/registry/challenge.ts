/**
 * `WWW-Authenticate` challenges of the distribution spec: `Basic realm="…"` or
 * `Bearer realm="https://auth…/token",service="registry",scope="repository:team/analysis:pull"`.
 */
export interface Challenge {
  scheme: 'basic' | 'bearer' | 'other';
  params: Record<string, string>;
}

/** Parses one challenge (registries send one); quoted values may contain commas and escaped quotes. */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const match = /^\s*([A-Za-z][A-Za-z0-9_-]*)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const scheme = match[1].toLowerCase();
  const params: Record<string, string> = {};
  const pair = /([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?\s*/g;
  let m: RegExpExecArray | null;
  while ((m = pair.exec(match[2])) !== null) {
    if (m[0] === '') break;
    params[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
  }
  return { scheme: scheme === 'basic' || scheme === 'bearer' ? scheme : 'other', params };
}
