import { afterAll, describe, expect, it } from 'vitest';
import { execIn } from '../../src/main/core/lockfile/exec';
import type { Core } from '../../src/main/core/core';
import type { CloudVm } from '../../src/shared/contract/cloud';
import type { SessionInfo } from '../../src/shared/contract/sessions';
import { sshHostFixture, type HostsFixture } from '../hosts/support';
import { eventually, JupyterUser, makeProject, opId, removeProjectContainers, type TestProject } from '../session/support';
import { cloudFixture, type CloudFixture } from './support';
import { cloudVmEnv, removeFromVmEngine } from './test-vm';

const FREEZE = ['python3', '-m', 'pip', 'list', '--format=freeze'];

async function freeze(core: Core, session: SessionInfo): Promise<string> {
  const out = await execIn(core.engines, session.target, session.id, FREEZE);
  expect(out.exitCode, out.stderr).toBe(0);
  return out.stdout;
}

async function removeOn(core: Core, target: string, project: TestProject): Promise<void> {
  const docker = await core.engines.docker(target);
  const filters = { label: [`dev.benchtop.project=${project.dir}`] };
  for (const c of await docker.listContainers({ all: true, filters })) {
    await docker.getContainer(c.Id).remove({ force: true }).catch((e: unknown) => console.warn(`cleanup ${c.Id}: ${String(e)}`));
  }
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) {
    await docker.getVolume(v.Name).remove().catch((e: unknown) => console.warn(`cleanup ${v.Name}: ${String(e)}`));
  }
}

describe('a notebook on a cloud GPU VM', () => {
  let fx: CloudFixture | undefined;
  let shared: { fx: HostsFixture; target: string } | undefined;
  let vm: CloudVm | undefined;
  const project = makeProject({ benchtop: { idleMinutes: 1 } });

  afterAll(async () => {
    await removeProjectContainers(project);
    if (shared) await removeOn(shared.fx.core, shared.target, project).catch((e: unknown) => console.warn(`cleanup: ${String(e)}`));
    // The VM stopped itself: its engine (the test host's) is cleaned directly.
    await removeFromVmEngine(cloudVmEnv(), project.dir);
    await shared?.fx.close();
    await fx?.close();
  });

  it('is ready over real SSH with the same packages as here and on the shared host; the agent stops it when idle, then the VM powers itself off', async () => {
    fx = await cloudFixture({}, { zones: ['europe-west4-a'] });
    // Two idle minutes on the VM: it stays up while the session starts, and stops itself after.
    vm = await fx.core.cloud.create(fx.core.ops.create('bt-test-nb'), { opId: 'bt-test-nb', gpuType: 'nvidia-l4', gpuCount: 1, idleMinutes: 2 });
    const onVm = await fx.core.sessions.up(fx.core.ops.create(opId()), project.dir, vm.hostId!);
    expect(onVm).toMatchObject({ state: 'ready', target: vm.name });
    const user = new JupyterUser(onVm.url as string);
    const kernel = await user.startKernel();
    expect((await user.execute(kernel, 'print(6 * 7)')).trim()).toBe('42');

    // The same pinned project here and on the shared test host (another install: the VM shares that engine).
    shared = await sshHostFixture();
    const [here, there] = await Promise.all([
      fx.core.sessions.up(fx.core.ops.create(opId()), project.dir, 'local'),
      shared.fx.core.sessions.up(shared.fx.core.ops.create(opId()), project.dir, shared.target),
    ]);
    const [a, b, c] = await Promise.all([freeze(fx.core, here), freeze(shared.fx.core, there), freeze(fx.core, onVm)]);
    expect(a).toContain('==');
    expect(b).toBe(a);
    expect(c).toBe(a);
    await Promise.all([fx.core.sessions.remove(here.id), shared.fx.core.sessions.remove(there.id)]);

    // Idle: the on-target agent stops the session by the shared hosts' rule, then the VM stops itself.
    const stopped = await eventually(async () => {
      const s = (await fx!.core.sessions.list()).find((x) => x.id === onVm.id);
      return s && s.state !== 'ready' && s.state !== 'starting' ? s : undefined;
    }, 2000, 'the on-target agent stopping the idle session (1 idle minute)', 240_000);
    expect(stopped.state).toBe('stopped');
    const off = await eventually(async () => (await fx!.core.cloud.list()).find((v) => v.name === vm!.name && v.status === 'TERMINATED'), 2000, 'the VM powering itself off (2 minutes without a session)', 240_000);
    expect(off).toMatchObject({ status: 'TERMINATED', mine: true, runningCost: 0 });
  }, 600_000);
});
