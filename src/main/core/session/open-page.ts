import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

const html = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Writes a page that sends the browser on to the session's URL, readable by this user only (0600 in
 * a 0700 folder), and returns its path. The browser is handed this path instead of the URL, because
 * whatever starts the browser (xdg-open, open, start) shows its arguments to every account on the
 * machine, and the URL carries the token. One page per session, replaced on each open.
 */
export async function writeOpenPage(dir: string, sessionId: string, url: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700); // made earlier with a looser umask, or by an older version
  const path = join(dir, `${sessionId}.html`);
  const tmp = join(dir, `.${sessionId}-${randomBytes(4).toString('hex')}.tmp`);
  const target = html(url);
  await writeFile(tmp, `<!doctype html>
<html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">
<meta http-equiv="refresh" content="0; url=${target}">
<title>Opening Jupyter…</title></head>
<body><p>Opening <a href="${target}">your Jupyter session</a>…</p>
<script>location.replace(${JSON.stringify(url).replace(/</g, '\\u003c')});</script></body></html>
`, { mode: 0o600 });
  await rename(tmp, path);
  return path;
}

/** The session is gone: its page (and the dead token in it) goes too. */
export async function removeOpenPage(dir: string, sessionId: string): Promise<void> {
  await rm(join(dir, `${sessionId}.html`), { force: true });
}
