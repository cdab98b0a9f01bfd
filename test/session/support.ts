/**
 * Shared by the session and pull tests: throwaway projects pinned to the test registry's images,
 * a Core with its own settings folder, Jupyter's REST + kernel websocket, and cleanup of exactly
 * the containers a test created.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Docker from 'dockerode';
import WebSocket from 'ws';
import type { Clock } from '../../src/main/core/clock';
import { Core } from '../../src/main/core/core';
import type { Desktop } from '../../src/main/core/desktop';
import type { CoreDeps } from '../../src/main/core/core';
import { openConfSettings } from '../../src/main/core/settings/conf-store';
import type { EventMap, EventName } from '../../src/shared/ipc';
import { testEnv, type TestEnv } from '../support/env';

export const docker = new Docker({ socketPath: '/var/run/docker.sock' });

export function env(): TestEnv {
  return testEnv();
}

export function pinnedRef(version?: string): string {
  const e = env();
  const v = version ?? e.image.latest;
  return `${e.registry}/${e.image.repository}@${e.image.versions[v].digest}`;
}

export interface TestProject {
  dir: string;
  notebooks: string;
  name: string;
}

/** A project folder pinned to a test image, with one notebook that must survive everything. */
export function makeProject(options: { version?: string; image?: string; benchtop?: Record<string, unknown>; hostRequirements?: Record<string, unknown>; lockfile?: string | false } = {}): TestProject {
  const name = `bt-test-${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  mkdirSync(join(dir, '.devcontainer'));
  mkdirSync(join(dir, 'notebooks'));
  writeFileSync(join(dir, 'notebooks', 'keep.ipynb'), KEEP_NOTEBOOK);
  if (options.lockfile === undefined) copyFileSync(env().image.lockfilePath, join(dir, 'environment.lock'));
  else if (options.lockfile !== false) writeFileSync(join(dir, 'environment.lock'), options.lockfile);
  const devcontainer = {
    name,
    image: options.image ?? pinnedRef(options.version),
    hostRequirements: options.hostRequirements ?? {},
    customizations: { benchtop: { notebooks: 'notebooks', lockfile: 'environment.lock', ...options.benchtop } },
  };
  writeFileSync(join(dir, '.devcontainer', 'devcontainer.json'), JSON.stringify(devcontainer, null, 2));
  return { dir, notebooks: join(dir, 'notebooks'), name };
}

export const KEEP_NOTEBOOK = JSON.stringify({ cells: [{ cell_type: 'markdown', metadata: {}, source: ['precious work'] }], metadata: {}, nbformat: 4, nbformat_minor: 5 });

/**
 * A Core with its own settings folder (so tests never touch the user's), optionally a movable clock.
 * A new settings folder is a new install, a new owner (another laptop); `sameInstallAs` reuses
 * another Core's folder instead: the same app started again.
 */
export function makeCore(options: { clock?: Clock; env?: NodeJS.ProcessEnv; desktop?: Desktop; engine?: CoreDeps['engine']; sameInstallAs?: Core; userName?: string } = {}): Core {
  const { sameInstallAs, userName, ...deps } = options;
  const settingsDir = sameInstallAs ? dirname(sameInstallAs.settings.path) : mkdtempSync(join(tmpdir(), 'bt-test-settings-'));
  const settings = openConfSettings(settingsDir);
  if (userName) settings.set('userName', userName);
  return new Core({ settings, shell: 'cli', ...deps });
}

/** Every event of one kind the bus sends while the test runs. */
export function record<E extends EventName>(core: Core, event: E): EventMap[E][] {
  const seen: EventMap[E][] = [];
  core.bus.on(event, (payload) => seen.push(payload));
  return seen;
}

export function opId(): string {
  return `test-${randomUUID()}`;
}

/** Removes the containers of one test project (and nothing else). */
export async function removeProjectContainers(project: TestProject): Promise<void> {
  const list = await docker.listContainers({ all: true, filters: { label: [`dev.benchtop.project=${project.dir}`] } });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}

/**
 * Waits for a condition on events. Not a timing assertion: the cap (2 minutes unless given) is only
 * there so a condition that never comes fails with what was awaited, not as a bare test timeout.
 */
export async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>, everyMs = 100, what = 'the awaited condition', capMs = 120_000): Promise<T> {
  const deadline = Date.now() + capMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${capMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** One open kernel websocket (JupyterUser.connect). */
export interface KernelConnection {
  /** Sends code: `busy` settles when the kernel says it runs it, `done` with its output once idle again. */
  run(code: string): { busy: Promise<void>; done: Promise<string> };
  close(): void;
}

/** Jupyter as a user's browser talks to it: REST with the token, and the kernel websocket. */
export class JupyterUser {
  readonly base: URL;
  readonly token: string;

  constructor(url: string) {
    const parsed = new URL(url);
    this.token = parsed.searchParams.get('token') ?? '';
    this.base = new URL(`${parsed.protocol}//${parsed.host}/`);
  }

  async api<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
    const response = await fetch(new URL(path, this.base), {
      ...init,
      headers: { Authorization: `token ${this.token}`, 'Content-Type': 'application/json', ...init.headers },
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async saveNotebook(path: string, source: string): Promise<number> {
    const content = { cells: [{ cell_type: 'code', metadata: {}, source, outputs: [], execution_count: null }], metadata: {}, nbformat: 4, nbformat_minor: 5 };
    return (await this.api(`api/contents/${path}`, { method: 'PUT', body: JSON.stringify({ type: 'notebook', content }) })).status;
  }

  async startKernel(): Promise<string> {
    const { body } = await this.api<{ id: string }>('api/kernels', { method: 'POST', body: JSON.stringify({ name: 'python3' }) });
    return body.id;
  }

  /** Runs code in a kernel over its websocket; returns stdout plus the result's text. */
  async execute(kernelId: string, code: string): Promise<string> {
    const connection = await this.connect(kernelId);
    try {
      return await connection.run(code).done;
    } finally {
      connection.close();
    }
  }

  /**
   * One websocket to a kernel, as a notebook tab holds it, ready once the server's "nudge" is over:
   * on connecting to an idle kernel the server sends kernel_info requests on shell and control, and
   * ipykernel answers control on its own thread; an idle status of those arriving after a cell's
   * busy makes classic Jupyter list the kernel as idle while the cell runs. Code sent later on the
   * same connection is listed as busy for as long as it runs.
   */
  async connect(kernelId: string): Promise<KernelConnection> {
    const url = new URL(`api/kernels/${kernelId}/channels`, this.base);
    url.protocol = 'ws:';
    const ws = new WebSocket(url, { headers: { Authorization: `token ${this.token}` } });
    const runs = new Map<string, { output: string; busy: () => void; done: (output: string) => void }>();
    let settled: () => void = () => undefined;
    const nudged = new Promise<void>((resolve) => { settled = resolve; });
    let quiet: NodeJS.Timeout | undefined;
    ws.on('message', (raw) => {
      const msg = JSON.parse(String(raw)) as { msg_type: string; parent_header: { msg_id?: string; msg_type?: string }; content: Record<string, unknown> };
      if (msg.parent_header.msg_type === 'kernel_info_request') {
        // Settled once no nudge message came for half a second.
        clearTimeout(quiet);
        quiet = setTimeout(settled, 500);
      }
      const run = runs.get(msg.parent_header.msg_id ?? '');
      if (!run) return;
      if (msg.msg_type === 'stream') run.output += String(msg.content.text);
      if (msg.msg_type === 'execute_result') run.output += String((msg.content.data as Record<string, string>)['text/plain']);
      if (msg.msg_type === 'error') run.output += `${String(msg.content.ename)}: ${String(msg.content.evalue)}`;
      if (msg.msg_type === 'status' && msg.content.execution_state === 'busy') run.busy();
      if (msg.msg_type === 'status' && msg.content.execution_state === 'idle') {
        runs.delete(msg.parent_header.msg_id ?? '');
        run.done(run.output);
      }
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('error', reject);
      ws.once('open', () => resolve());
    });
    quiet = setTimeout(settled, 3000); // a busy kernel is not nudged
    await nudged;
    return {
      run: (code) => {
        const msgId = randomUUID();
        let busy: () => void = () => undefined;
        let done: (output: string) => void = () => undefined;
        const result = {
          busy: new Promise<void>((resolve) => { busy = resolve; }),
          done: new Promise<string>((resolve) => { done = resolve; }),
        };
        runs.set(msgId, { output: '', busy, done });
        ws.send(JSON.stringify({
          header: { msg_id: msgId, username: 'test', session: randomUUID(), msg_type: 'execute_request', version: '5.3', date: new Date().toISOString() },
          parent_header: {}, metadata: {}, channel: 'shell', buffers: [],
          content: { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true },
        }));
        return result;
      },
      close: () => ws.close(),
    };
  }


}

/** The desktop shell's side of "open": what the app or the browser would have been asked to show. */
export function recordingDesktop(): Desktop & { opened: { where: 'app' | 'browser' | 'page'; url: string }[] } {
  const opened: { where: 'app' | 'browser' | 'page'; url: string }[] = [];
  return {
    opened,
    chooseFolder: async () => null,
    openExternal: async (url) => void opened.push({ where: 'browser', url }),
    openNotebook: async (_id, url) => void opened.push({ where: 'app', url }),
    openLocalPage: async (path) => void opened.push({ where: 'page', url: path }),
  };
}
