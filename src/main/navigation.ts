/**
 * Navigation allow-list, in plain TypeScript so it is tested without Electron. The app window may
 * only show its own pages; a notebook window only its session's Jupyter origin.
 */
export function isAllowedNavigation(target: string, allowed: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return false;
  }
  return allowed.some((entry) => {
    const base = new URL(entry);
    if (base.protocol === 'file:') {
      // file: URLs have no origin; allow exactly the app's own page (any hash or query).
      return url.protocol === 'file:' && url.pathname === base.pathname;
    }
    if (base.origin === 'null') {
      // The URL parser gives custom schemes (app://) the opaque origin "null", equal for every such
      // URL: compare scheme and host instead, so app://benchtop never admits app://elsewhere.
      return url.protocol === base.protocol && url.host === base.host && url.host !== '';
    }
    return url.origin === base.origin;
  });
}
