import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshHostFixture, type HostsFixture } from '../hosts/support';
import { testEnv } from '../support/env';
import { analystAccounts, sshHostEnv } from '../support/ssh-host';
import { makeProject, opId, type TestProject } from '../session/support';

const exec = promisify(execFile);

/**
 * Idle stop with the laptop closed: a session on the shared host with `idleMinutes: 1` is stopped by
 * the host's agent after the last Benchtop process has exited (real clock, no Core running), and its
 * card is freed. Watched from outside Benchtop: `docker` on the host over plain `ssh`.
 */
describe('idle stop on the host, with no Benchtop running', () => {
  const env = testEnv();
  const image = `${env.registry}/${env.image.repository}@${env.image.versions[env.image.latest].digest}`;
  const ssh = sshHostEnv();
  const [alice] = analystAccounts();
  let ana: { fx: HostsFixture; target: string } | undefined;
  let project: TestProject;
  let sessionId = '';

  /** `docker …` on the host, as its admin would type it over ssh. */
  const onHost = async (args: string): Promise<string> => {
    const { stdout } = await exec('ssh', ['-i', alice.identityFile, '-p', String(ssh.port), '-o', `UserKnownHostsFile=${ana!.fx.knownHosts}`, '-o', 'BatchMode=yes',
      `${alice.user}@${ssh.host}`, `DOCKER_HOST=unix://${ssh.dockerSocket} docker ${args}`], { timeout: 30_000 });
    return stdout.trim();
  };

  beforeAll(async () => {
    ana = await sshHostFixture(image, alice);
    project = makeProject({ benchtop: { idleMinutes: 1 }, hostRequirements: { gpu: 'optional' } });
  }, 180_000);

  afterAll(async () => {
    if (sessionId && ana) {
      // A new process of the same install cleans up (the session's volume included).
      const again = ana.fx.reopen();
      await again.sessions.remove(sessionId).catch((e: unknown) => console.warn(`cleanup ${sessionId}: ${String(e)}`));
    }
    await ana?.fx.close();
  }, 120_000);

  it('is stopped within about two minutes of the last Benchtop process exiting, and its card freed', async () => {
    const info = await ana!.fx.core.sessions.up(ana!.fx.core.ops.create(opId()), project.dir, ana!.target);
    sessionId = info.id;
    expect(info.state).toBe('ready');
    const card = (await ana!.fx.core.gpus.list(ana!.target)).find((l) => l.sessionId === sessionId)?.gpu;
    // Every Benchtop process of this laptop exits: no watcher, no idle timer, no SSH connection.
    await ana!.fx.core.close();
    const started = Date.now();
    let running = 'true';
    while (running === 'true' && Date.now() - started < 180_000) {
      await new Promise((resolve) => setTimeout(resolve, 5000));
      running = await onHost(`inspect -f '{{.State.Running}}' ${sessionId}`);
    }
    expect(running).toBe('false');
    expect(await onHost(`ps -a -q --filter label=dev.benchtop.lease.session=${sessionId}`)).toBe('');
    const agentLog = await onHost('logs --tail 200 benchtop-agent 2>&1');
    expect(agentLog).toContain(`${sessionId} idle for 1 min; stopping it`);
    if (card) expect(agentLog).toMatch(new RegExp(`freed ${card} of ${sessionId}`));
  }, 400_000);
});
