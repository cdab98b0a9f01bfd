import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { browserOpener, systemDesktop } from '../../src/main/core/desktop';
import { eventually, makeProject, removeProjectContainers } from '../session/support';
import { runCli } from '../support/cli';

const root = new URL('../..', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'bt-test-cli-open-'));
const home = join(scratch, 'home');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A folder whose only command is an `xdg-open` that appends its argument to `record`. */
function fakeOpener(name: string): { bin: string; record: string; opened(): string[] } {
  const bin = join(scratch, name);
  const record = join(bin, 'opened.txt');
  mkdirSync(bin);
  writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${record}'\n`);
  chmodSync(join(bin, 'xdg-open'), 0o755);
  return { bin, record, opened: () => (existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter(Boolean) : []) };
}

/** A folder with no commands at all: PATH=this means no opener can be found. */
function emptyPath(): string {
  return mkdtempSync(join(scratch, 'empty-'));
}

/** The CLI from source, its own settings; opening a browser is off unless a test's env turns it on. */
const benchtop = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runCli('source', args, { env: { BENCHTOP_HOME: home, BENCHTOP_BROWSER: 'none', ...env }, cwd: root });

describe('the CLI desktop: the default browser through the platform opener', () => {
  it('runs xdg-open (the first on PATH) with the URL, detached', async () => {
    const opener = fakeOpener('desktop-bin');
    const notes: string[] = [];
    const desktop = systemDesktop({ platform: 'linux', env: { PATH: `${opener.bin}:/usr/bin:/bin` }, notice: (t) => notes.push(t) });
    await desktop.openExternal('http://127.0.0.1:8870/?token=abc123');
    await desktop.openNotebook('benchtop-some-session', 'http://127.0.0.1:8871/lab?token=def456');
    // Each opener runs detached, so the two may record in either order.
    expect((await eventually(() => (opener.opened().length === 2 ? opener.opened() : undefined)))?.sort()).toEqual([
      'http://127.0.0.1:8870/?token=abc123',
      'http://127.0.0.1:8871/lab?token=def456',
    ]);
    expect(notes).toEqual([]);
  });

  it('without an opener, resolves and leaves a one-line note with the URL', async () => {
    const notes: string[] = [];
    const desktop = systemDesktop({ platform: 'linux', env: { PATH: emptyPath() }, notice: (t) => notes.push(t) });
    await desktop.openExternal('http://127.0.0.1:8870/?token=abc123');
    expect(notes).toEqual(['Could not open a browser (xdg-open was not found); open http://127.0.0.1:8870/?token=abc123 yourself.']);
  });

  it('BENCHTOP_BROWSER=none opens nothing and says nothing', async () => {
    const opener = fakeOpener('none-bin');
    const notes: string[] = [];
    const desktop = systemDesktop({ platform: 'linux', env: { PATH: opener.bin, BENCHTOP_BROWSER: 'none' }, notice: (t) => notes.push(t) });
    await desktop.openExternal('http://127.0.0.1:8870/?token=abc123');
    // The opener would have run by the time a second one finishes: use one as the barrier.
    const barrier = fakeOpener('barrier-bin');
    await systemDesktop({ platform: 'linux', env: { PATH: barrier.bin } }).openExternal('http://127.0.0.1:1/');
    await eventually(() => barrier.opened().length === 1);
    expect(opener.opened()).toEqual([]);
    expect(notes).toEqual([]);
  });

  it('never hands anything but plain http(s) to the opener', async () => {
    const opener = fakeOpener('refuse-bin');
    const notes: string[] = [];
    const desktop = systemDesktop({ platform: 'linux', env: { PATH: opener.bin }, notice: (t) => notes.push(t) });
    await desktop.openExternal('file:///etc/passwd');
    await desktop.openExternal('http://user:secret@127.0.0.1/');
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatch(/^Not opening "file:\/\/\/etc\/passwd" in a browser/);
    expect(opener.opened()).toEqual([]);
  });

  it('uses open(1) on macOS and cmd’s start on Windows, the URL quoted for cmd', () => {
    const url = 'http://127.0.0.1:8870/?token=abc&x=1';
    expect(browserOpener(url, 'linux')).toEqual({ file: 'xdg-open', args: [url], verbatim: false });
    expect(browserOpener(url, 'darwin')).toEqual({ file: 'open', args: [url], verbatim: false });
    expect(browserOpener(url, 'win32')).toEqual({ file: 'cmd', args: ['/d', '/s', '/c', `"start "" "${url}""`], verbatim: true });
  });
});

describe('benchtop up / open in the browser', () => {
  const project = makeProject();
  afterAll(() => removeProjectContainers(project));

  it('up opens the notebook it prints through a private page (the token never on a command line); open opens it again; no opener still exits 0 with the URL', async () => {
    const opener = fakeOpener('cli-bin');
    const withOpener = { BENCHTOP_BROWSER: undefined, PATH: `${opener.bin}:${process.env.PATH ?? ''}` };
    /** What the opener was handed must be a page only this user can read, that goes on to the URL. */
    const expectPrivatePageFor = (path: string, url: string) => {
      expect(path).toMatch(/\.html$/);
      expect(path).not.toContain('token');
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(readFileSync(path, 'utf8')).toContain(url.replace(/&/g, '&amp;'));
    };

    const up = await benchtop(['up', project.dir], withOpener);
    expect(up.code).toBe(0);
    const url = up.stdout.trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
    expect(up.stderr).toContain('» open browser');
    const id = /Session (\S+) is ready/.exec(up.stderr)?.[1] as string;
    const [page] = await eventually(() => (opener.opened().length === 1 ? opener.opened() : undefined));
    expectPrivatePageFor(page, url);

    const open = await benchtop(['open', id], withOpener);
    expect(open).toMatchObject({ code: 0, stdout: `${url}\n`, stderr: '' });
    // Each opener runs detached, so the two may record in either order.
    expect((await eventually(() => (opener.opened().length === 2 ? opener.opened() : undefined)))?.sort()).toEqual([page, page]);

    const missing = await benchtop(['open', id], { BENCHTOP_BROWSER: undefined, PATH: emptyPath() });
    expect(missing.code).toBe(0);
    expect(missing.stdout).toBe(`${url}\n`);
    expect(missing.stderr).toMatch(/^Could not open a browser \(xdg-open was not found\); open .+ yourself\.\n$/);
    expect(missing.stderr).not.toContain('token=');

    const json = await benchtop(['open', id, '--json'], { BENCHTOP_BROWSER: undefined, PATH: emptyPath() });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ url });

    // --no-open and BENCHTOP_BROWSER=none: the URL only.
    const again = await benchtop(['up', project.dir, '--no-open'], withOpener);
    expect(again).toMatchObject({ code: 0, stdout: `${url}\n` });
    const quiet = await benchtop(['open', id], { PATH: opener.bin });
    expect(quiet).toMatchObject({ code: 0, stdout: `${url}\n`, stderr: '' });
    expect(opener.opened()).toEqual([page, page]);

    expect((await benchtop(['rm', id])).stdout.trim()).toBe(`Removed ${id}.`);
    // The page, and the dead token in it, went with the session.
    expect(existsSync(page)).toBe(false);
  }, 240_000);
});
