import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * The `benchtop` command on PATH: a source checkout links it with `npm run link-cli`, and it works
 * from any project folder; the installed app's launcher (build/cli/benchtop, installed as
 * resources/bin/benchtop and linked from /usr/bin by the .deb) runs the bundled CLI with the app's
 * binary and ELECTRON_RUN_AS_NODE. Without a packaged app (the Electron binary comes from the
 * internet), the launcher runs against a stand-in app binary; the packaged check says why it skips.
 */
const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

async function sh(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(file, args, { ...options, env: { ...process.env, BENCHTOP_BROWSER: 'none', ...options.env }, encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the benchtop command on PATH', { timeout: 120_000 }, () => {
  it('npm run link-cli links it, and it works from a project folder', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'bt-test-bin-'));
    const linked = await sh('npm', ['run', '--silent', 'link-cli'], { cwd: root, env: { BENCHTOP_LINK_DIR: bin } });
    expect(linked.code).toBe(0);
    expect(linked.stdout).toContain(`${bin}/benchtop -> ${root}bin/benchtop.js`);

    const project = mkdtempSync(join(tmpdir(), 'bt-test-project-'));
    const env = { PATH: `${bin}:${process.env.PATH ?? ''}`, BENCHTOP_HOME: mkdtempSync(join(tmpdir(), 'bt-test-home-')) };
    expect((await sh('benchtop', ['--version'], { cwd: project, env })).stdout.trim()).toContain(version);
    const init = await sh('benchtop', ['init', '--image', '127.0.0.1:5000/team/analysis:2026.11.2'], { cwd: project, env });
    expect(init.code).toBe(0);
    expect(existsSync(join(project, '.devcontainer', 'devcontainer.json'))).toBe(true);
  });

  it('the installed launcher finds the app through a /usr/bin link and runs the bundled CLI as Node', async () => {
    // An installed layout: /opt/Benchtop/{benchtop-app, resources/bin/benchtop, resources/app.asar/…}.
    const opt = join(mkdtempSync(join(tmpdir(), 'bt-test-opt-')), 'Benchtop');
    mkdirSync(join(opt, 'resources', 'bin'), { recursive: true });
    cpSync(join(root, 'build', 'cli', 'benchtop'), join(opt, 'resources', 'bin', 'benchtop'));
    // The app.asar stands in as the checkout itself (out/cli/benchtop.js with its node_modules beside it).
    await sh(process.execPath, [join(root, 'scripts', 'build-cli.mjs')]);
    symlinkSync(root, join(opt, 'resources', 'app.asar'));
    // The app binary: Node, refusing to start unless asked to run as Node (as Electron would otherwise open a window).
    writeFileSync(join(opt, 'benchtop-app'), `#!/bin/sh\n[ "$ELECTRON_RUN_AS_NODE" = 1 ] || { echo "would start the app window" >&2; exit 99; }\nexec "${process.execPath}" "$@"\n`, { mode: 0o755 });
    const usrBin = mkdtempSync(join(tmpdir(), 'bt-test-usrbin-'));
    symlinkSync(join(opt, 'resources', 'bin', 'benchtop'), join(usrBin, 'benchtop'));

    const r = await sh(join(usrBin, 'benchtop'), ['--version'], { cwd: tmpdir() });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(version);

    const missing = join(mkdtempSync(join(tmpdir(), 'bt-test-opt-')), 'bin');
    mkdirSync(missing);
    cpSync(join(root, 'build', 'cli', 'benchtop'), join(missing, 'benchtop'));
    const lost = await sh(join(missing, 'benchtop'), ['--version']);
    expect(lost.code).toBe(2);
    expect(lost.stderr).toContain('the Benchtop app was not found next to this command');
  });

  it('the packaged app runs `benchtop --version` (where electron-builder has packaged it)', async (ctx) => {
    const launcher = join(root, 'dist', 'linux-unpacked', 'resources', 'bin', 'benchtop');
    if (!existsSync(launcher)) {
      ctx.skip('no packaged app in dist/linux-unpacked: `npm run dist` needs the Electron binary, which is downloaded from the internet');
    }
    const r = await sh(launcher, ['--version']);
    expect(r.stdout).toContain(version);
  });
});
