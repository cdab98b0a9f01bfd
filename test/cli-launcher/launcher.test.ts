import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The `benchtop` command on PATH: a source checkout links it with `npm run link-cli`, and it works
 * from any project folder; the installed app's launcher (build/cli/benchtop, installed as
 * resources/bin/benchtop and linked from /usr/bin by the .deb) starts the app's binary in
 * command-line mode (`--benchtop-cli -- ARGS`; its RunAsNode fuse is off). Without a packaged app
 * (the Electron binary comes from the internet), the launcher runs against a stand-in app binary:
 * node running the same command-line-mode code (stand-in-app.ts); the packaged check says why it skips.
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

  it('the launchers start the app binary in command-line mode, never as Node (its RunAsNode fuse is off)', async () => {
    const { fuseConfig } = (await import(/* @vite-ignore */ new URL('../../scripts/electron-fuses.mjs', import.meta.url).href)) as { fuseConfig(p: string, a: string): Record<number, unknown> };
    const { FuseV1Options } = await import('@electron/fuses');
    expect(fuseConfig('linux', 'x64')[FuseV1Options.RunAsNode]).toBe(false);
    const sh = readFileSync(join(root, 'build', 'cli', 'benchtop'), 'utf8');
    const cmd = readFileSync(join(root, 'build', 'cli', 'benchtop.cmd'), 'utf8');
    expect(sh).toContain('exec "$app" --ozone-platform=headless --disable-gpu --benchtop-cli -- "$@"');
    expect(sh).toContain('unset ELECTRON_RUN_AS_NODE');
    expect(cmd).toContain('"%APP%" --benchtop-cli -- %*');
    expect(cmd).toMatch(/^set ELECTRON_RUN_AS_NODE=\r?$/m);
    for (const text of [sh, cmd]) expect(text).not.toMatch(/ELECTRON_RUN_AS_NODE=1/);
  });

  describe('the installed launcher, with a stand-in app binary (node running the app’s command-line mode)', () => {
    let usrBin: string;
    let argvFile: string;
    let server: Server;
    let teamUrl: string;
    const home = () => mkdtempSync(join(tmpdir(), 'bt-test-home-'));

    beforeAll(async () => {
      // An installed layout: /opt/Benchtop/{benchtop-app, resources/bin/benchtop, resources/app.asar/…}.
      const opt = join(mkdtempSync(join(tmpdir(), 'bt-test-opt-')), 'Benchtop');
      mkdirSync(join(opt, 'resources', 'bin'), { recursive: true });
      cpSync(join(root, 'build', 'cli', 'benchtop'), join(opt, 'resources', 'bin', 'benchtop'));
      // The app.asar stands in as the checkout itself (out/cli/benchtop.js with its node_modules beside it).
      expect((await sh(process.execPath, [join(root, 'scripts', 'build-cli.mjs')])).code).toBe(0);
      symlinkSync(root, join(opt, 'resources', 'app.asar'));
      // The app binary: node running src/main/cli-mode's code as the app's main process would.
      await build({ entryPoints: [join(root, 'test', 'cli-launcher', 'stand-in-app.ts')], outfile: join(opt, 'stand-in-app.mjs'), bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' });
      writeFileSync(join(opt, 'benchtop-app'), `#!/bin/sh\nexec "${process.execPath}" "${join(opt, 'stand-in-app.mjs')}" "$@"\n`, { mode: 0o755 });
      usrBin = mkdtempSync(join(tmpdir(), 'bt-test-usrbin-'));
      symlinkSync(join(opt, 'resources', 'bin', 'benchtop'), join(usrBin, 'benchtop'));
      argvFile = join(mkdtempSync(join(tmpdir(), 'bt-test-argv-')), 'argv.json');
      // A team file on loopback, for a link that asks before it joins (the stdin check below).
      server = createServer((req, res) => {
        if (req.url === '/team.json') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'Launcher team', hosts: [] }));
        else res.writeHead(404).end();
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      teamUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/team.json`;
    });

    afterAll(async () => {
      await new Promise((done) => server?.close(done));
    });

    it('finds the app through a /usr/bin link and passes the arguments after --benchtop-cli --, with ELECTRON_RUN_AS_NODE kept out', async () => {
      const r = await sh(join(usrBin, 'benchtop'), ['--version'], { cwd: tmpdir(), env: { ELECTRON_RUN_AS_NODE: '1', BT_STAND_IN_ARGV: argvFile } });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(version);
      // Linux: Chromium's headless platform and no GPU process, so a host without a display runs it.
      expect(JSON.parse(readFileSync(argvFile, 'utf8'))).toEqual(['--ozone-platform=headless', '--disable-gpu', '--benchtop-cli', '--', '--version']);
    });

    it('runs a command in the folder it was started from, and passes its exit codes through (0, 64)', async () => {
      const project = mkdtempSync(join(tmpdir(), 'bt-test-project-'));
      const env = { BENCHTOP_HOME: home(), BT_STAND_IN_ARGV: argvFile };
      const init = await sh(join(usrBin, 'benchtop'), ['init', '--image', '127.0.0.1:5000/team/analysis:2026.11.2'], { cwd: project, env });
      expect(init.code).toBe(0);
      expect(readFileSync(join(project, '.devcontainer', 'devcontainer.json'), 'utf8')).toContain('127.0.0.1:5000/team/analysis:2026.11.2');
      // An option the CLI must see as an option (after `--`, Chromium takes none of them).
      const typo = await sh(join(usrBin, 'benchtop'), ['up', '--taget', 'gpu box'], { cwd: project, env });
      expect(typo.code).toBe(64);
      expect(typo.stderr).toContain('taget');
      expect(JSON.parse(readFileSync(argvFile, 'utf8'))).toEqual(['--ozone-platform=headless', '--disable-gpu', '--benchtop-cli', '--', 'up', '--taget', 'gpu box']);
      const unknown = await sh(join(usrBin, 'benchtop'), ['frobnicate'], { cwd: project, env });
      expect(unknown.code).toBe(64);
      expect(unknown.stderr).toContain('unknown command "frobnicate"');
    });

    it('passes stdin through: a link asks on the terminal, and the answer typed decides (script(1) gives it a terminal)', async (ctx) => {
      if (!existsSync('/usr/bin/script')) ctx.skip('script(1) from util-linux is not installed: no terminal to type into');
      const link = `benchtop://join?team=${teamUrl}`;
      const typed = async (answer: string) => {
        const env = { ...process.env, BENCHTOP_HOME: home(), BENCHTOP_BROWSER: 'none', SHELL: '/bin/sh' };
        const child = spawn('script', ['-qec', `'${join(usrBin, 'benchtop')}' open-link '${link}'`, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
        child.stderr.on('data', (chunk: Buffer) => { out += chunk.toString(); });
        const closed = once(child, 'close') as Promise<[number]>;
        // Typed once the question is on the terminal (or not at all, when the command ended before asking).
        await Promise.race([closed, new Promise<void>((done) => child.stdout.on('data', () => { if (out.includes('Go ahead?')) done(); }))]);
        if (child.exitCode === null) child.stdin.write(`${answer}\n`);
        const [code] = await closed;
        return { code, out };
      };
      const no = await typed('n');
      expect(no.out).toContain(`team file    ${teamUrl}`);
      expect(no.out).toContain('Nothing was done.');
      expect(no.code).toBe(1);
      const yes = await typed('y');
      expect(yes.out).toContain('Joined the team.');
      expect(yes.code).toBe(0);
      // Without a terminal the CLI sees none, and refuses to guess (64).
      const piped = await sh(join(usrBin, 'benchtop'), ['open-link', link], { env: { BENCHTOP_HOME: home() } });
      expect(piped.code).toBe(64);
      expect(piped.stderr).toContain('stdin is not a terminal');
    });

    it('says so, with exit 2, when the app is not next to it', async () => {
      const missing = join(mkdtempSync(join(tmpdir(), 'bt-test-opt-')), 'bin');
      mkdirSync(missing);
      cpSync(join(root, 'build', 'cli', 'benchtop'), join(missing, 'benchtop'));
      const lost = await sh(join(missing, 'benchtop'), ['--version']);
      expect(lost.code).toBe(2);
      expect(lost.stderr).toContain('the Benchtop app was not found next to this command');
    });
  });

  it('the packaged app runs `benchtop` in command-line mode without a display (where electron-builder has packaged it)', async (ctx) => {
    const launcher = join(root, 'dist', 'linux-unpacked', 'resources', 'bin', 'benchtop');
    if (!existsSync(launcher)) {
      ctx.skip('no packaged app in dist/linux-unpacked: `npm run dist` needs the Electron binary, which is downloaded from the internet');
    }
    // No DISPLAY or WAYLAND_DISPLAY, and ELECTRON_RUN_AS_NODE set: the fused binary ignores it.
    const env = { DISPLAY: '', WAYLAND_DISPLAY: '', ELECTRON_RUN_AS_NODE: '1', BENCHTOP_HOME: mkdtempSync(join(tmpdir(), 'bt-test-home-')) };
    const r = await sh(launcher, ['--version'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version);
    const typo = await sh(launcher, ['up', '--taget', 'gpu-box'], { env });
    expect(typo.code).toBe(64);
    expect(typo.stderr).toContain('taget');
    // ELECTRON_RUN_AS_NODE is set, yet the binary stays the app (its fuse is off) and runs its command-line mode.
    const asNode = await sh(join(root, 'dist', 'linux-unpacked', 'benchtop-app'), ['--ozone-platform=headless', '--benchtop-cli', '--', '--version'], { env });
    expect(asNode.stdout.trim()).toBe(version);
  });
});
