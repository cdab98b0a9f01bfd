import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { EngineService } from '../../src/main/core/engine/service';
import { ensureAgent, type AgentConfig } from '../../src/main/core/gpu/agent';
import { SCOPE_LABEL } from '../../src/main/core/gpu/lease-labels';
import { interpretNvidiaSmi, NVIDIA_SMI_ARGS } from '../../src/main/core/gpu/nvidia-smi';
import { agentName } from '../../src/main/core/gpu/records';
import { GpuService } from '../../src/main/core/gpu/service';
import type { Owner } from '../../src/main/core/identity/owner';
import type { GpuState } from '../support/ssh-host-gpus';
import { testEnv } from '../support/env';

const execFileAsync = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;

/**
 * The host agent on this computer's engine, in a scope of its own: every record the test's GPU
 * services make carries the scope, and the agent sees only those, so it never touches another
 * test's (or a person's) leases and sessions. Its GPUs are the test host's nvidia-smi stand-in
 * (scripts/test-env/gpu/nvidia-smi) reading a state file of this test's own.
 */
export class LocalAgentFixture {
  readonly scope = `bt-test-${randomBytes(4).toString('hex')}`;
  readonly dir = mkdtempSync(join(tmpdir(), `${this.scope}-gpus-`));
  readonly nvidiaSmi = join(this.dir, 'bin', 'nvidia-smi');
  readonly docker = new Docker({ socketPath: '/var/run/docker.sock' });
  readonly engines = new EngineService();
  readonly image: string;
  readonly uuids = [0, 1, 2, 3].map(() => `GPU-${randomUUID()}`);
  readonly config: AgentConfig;

  constructor(options: { tickSeconds?: number; setupGraceSeconds?: number } = {}) {
    const env = testEnv();
    this.image = `${env.registry}/${env.image.repository}:${env.image.latest}`;
    mkdirSync(join(this.dir, 'bin'));
    copyFileSync(join(ROOT, 'scripts/test-env/gpu/nvidia-smi'), this.nvidiaSmi);
    chmodSync(this.nvidiaSmi, 0o755);
    chmodSync(this.dir, 0o755);
    const state = JSON.parse(readFileSync(join(ROOT, 'scripts/test-env/gpu/gpus.default.json'), 'utf8')) as GpuState;
    state.gpus.forEach((g, i) => (g.uuid = this.uuids[i]));
    this.writeState(state);
    this.config = { socket: '/var/run/docker.sock', nvidiaSmi: this.nvidiaSmi, scope: this.scope, tickSeconds: options.tickSeconds ?? 1, setupGraceSeconds: options.setupGraceSeconds ?? 5 };
  }

  state(): GpuState {
    return JSON.parse(readFileSync(join(this.dir, 'state.json'), 'utf8')) as GpuState;
  }

  writeState(state: GpuState): void {
    const tmp = join(this.dir, `.state-${randomBytes(4).toString('hex')}`);
    writeFileSync(tmp, JSON.stringify(state));
    chmodSync(tmp, 0o644);
    renameSync(tmp, join(this.dir, 'state.json'));
  }

  /** A GPU service for one holder (an install of its own), seeing this scope and these GPUs. */
  gpus(owner: Owner): GpuService {
    return new GpuService({
      engines: this.engines, owner, scope: this.scope,
      localProbe: async () => {
        const { stdout, stderr } = await execFileAsync(this.nvidiaSmi, [...NVIDIA_SMI_ARGS]);
        return interpretNvidiaSmi({ stdout, stderr, exitCode: 0 });
      },
      agentConfig: async () => this.config,
    });
  }

  startAgent(owner: Owner): Promise<string> {
    return ensureAgent(this.docker, this.image, this.config, owner);
  }

  /** A stand-in session container (running `sleep`), labelled as sessions are, in this scope. */
  async session(name: string, labels: Record<string, string> = {}, options: Partial<Docker.ContainerCreateOptions> = {}): Promise<Docker.Container> {
    const container = await this.docker.createContainer({
      name, Image: this.image, Entrypoint: ['sleep', '600'], Cmd: [],
      Labels: { 'dev.benchtop.session': '1', [SCOPE_LABEL]: this.scope, ...labels }, ...options,
    });
    await container.start();
    return container;
  }

  async agentLogs(): Promise<string> {
    const { stdout, stderr } = await execFileAsync('docker', ['logs', agentName(this.scope)]).catch((e: { stdout?: string; stderr?: string }) => ({ stdout: e.stdout ?? '', stderr: e.stderr ?? '' }));
    return `${stdout}${stderr}`;
  }

  /** Removes everything of this scope: the agent, records, sessions, volumes, the state folder. */
  async close(): Promise<void> {
    const filters = { label: [`${SCOPE_LABEL}=${this.scope}`] };
    for (const c of await this.docker.listContainers({ all: true, filters })) {
      await this.docker.getContainer(c.Id).remove({ force: true }).catch((e: unknown) => console.warn(`cleanup ${c.Id}: ${String(e)}`));
    }
    for (const v of (await this.docker.listVolumes({ filters })).Volumes ?? []) {
      await this.docker.getVolume(v.Name).remove().catch((e: unknown) => console.warn(`cleanup ${v.Name}: ${String(e)}`));
    }
    await this.engines.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Polls until `check` answers something truthy (a real clock, a deadline well past what the rule needs). */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 30_000, what = 'the condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
