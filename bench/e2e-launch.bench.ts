/**
 * What one e2e launch costs (e2e/support/app.ts does this per test), by stage:
 *   spawn → `BENCHTOP_BRIDGE_URL=` printed (node start-up, module loading, the Core built)
 *   URL   → the app page loaded in Chromium (a new context and page, the renderer's first screen)
 * for the bridge run from its sources (`node --import tsx e2e/bridge/server.ts`, as before) and for
 * the bundle global setup builds (`node out/e2e-bridge/server.js`), side by side with the ratio, and
 * the bundle with the context and page made while the bridge starts (what app.ts does now).
 *
 *   node --import tsx bench/e2e-launch.bench.ts [runs]
 */
import { chromium, type Browser } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBridge } from '../e2e/support/bridge-build';
import { median } from './support/timing';

const root = new URL('..', import.meta.url).pathname;
const runs = Number(process.argv[2] ?? 5);

interface Stages {
  url: number;
  page: number;
}

async function launchOnce(browser: Browser, args: string[], overlap: boolean): Promise<Stages> {
  const home = mkdtempSync(join(tmpdir(), 'bt-bench-e2e-'));
  const start = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, BENCHTOP_HOME: home }, stdio: ['ignore', 'pipe', 'inherit'] });
  // As app.ts does now: the context and page are made while the bridge starts.
  const early = overlap ? browser.newContext().then(async (context) => ({ context, page: await context.newPage() })) : undefined;
  try {
    const url = await new Promise<string>((done, fail) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /BENCHTOP_BRIDGE_URL=(\S+)/.exec(out);
        if (match?.[1]) done(match[1]);
      });
      child.once('exit', (code) => fail(new Error(`bridge exited with ${code}`)));
    });
    const printed = performance.now();
    const made = early ? await early : await browser.newContext().then(async (c) => ({ context: c, page: await c.newPage() }));
    const { context, page } = made;
    await page.goto(url);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    const loaded = performance.now();
    await context.close();
    return { url: printed - start, page: loaded - printed };
  } finally {
    await new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
    rmSync(home, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const built = performance.now();
  const bundle = await buildBridge(root);
  process.stdout.write(`bundling the bridge (once per run, global setup): ${(performance.now() - built).toFixed(0)} ms\n`);
  const browser = await chromium.launch({ executablePath: process.env.BENCHTOP_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const tsx = ['--import', 'tsx', 'e2e/bridge/server.ts'];
  const sides = { tsx: [tsx, false], bundled: [[bundle], false], overlapped: [[bundle], true] } as const;
  const names = ['tsx', 'bundled', 'overlapped'] as const;
  const results: Record<keyof typeof sides, Stages[]> = { tsx: [], bundled: [], overlapped: [] };
  try {
    for (const side of names) await launchOnce(browser, [...sides[side][0]], sides[side][1]); // warm-up
    for (let i = 0; i < runs; i += 1) {
      for (const side of names) results[side].push(await launchOnce(browser, [...sides[side][0]], sides[side][1]));
      process.stderr.write(`  run ${i + 1}/${runs}\n`);
    }
  } finally {
    await browser.close();
  }
  const line = (name: string, pick: (s: Stages) => number, side: 'bundled' | 'overlapped' = 'bundled') => {
    const t = median(results.tsx.map(pick));
    const b = median(results[side].map(pick));
    return `${name.padEnd(34)} tsx ${t.toFixed(0).padStart(6)} ms   ${side} ${b.toFixed(0).padStart(6)} ms   ratio ${(b / t).toFixed(2)}x\n`;
  };
  process.stdout.write(`\nOne e2e launch (${runs} runs each, median; tsx = before, sequential)\n`);
  process.stdout.write(line('spawn → URL printed', (s) => s.url));
  process.stdout.write(line('URL → page loaded', (s) => s.page));
  process.stdout.write(line('whole launch', (s) => s.url + s.page));
  process.stdout.write(line('whole launch, page made meanwhile', (s) => s.url + s.page, 'overlapped'));
}

await main();
