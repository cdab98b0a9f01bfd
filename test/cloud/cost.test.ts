import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/main/core/api';
import type { VmRun } from '../../src/main/core/cloud/spend-ledger';
import { runCli } from '../support/cli';
import { makeProject, removeProjectContainers, type TestProject } from '../session/support';
import { cloudFixture, type CloudFixture } from './support';
import { cloudVmEnv, removeFromVmEngine } from './test-vm';

let fx: CloudFixture | undefined;
let project: TestProject | undefined;
afterEach(async () => {
  if (project) {
    await removeProjectContainers(project);
    await removeFromVmEngine(cloudVmEnv(), project.dir);
  }
  await fx?.close();
  fx = undefined;
  project = undefined;
});

const root = new URL('../..', import.meta.url).pathname;
const HOUR = 3_600_000;

describe('what cloud VMs cost: session cost, month spend and the monthly limit (local GCE server)', () => {
  it('shows a VM session\'s running cost (ps, cloud ls), writes finished runs down, counts the month and warns over the limit before create and start', async () => {
    fx = await cloudFixture({}, { zones: ['europe-west4-b'] });
    const f = fx;
    const dataDir = join(f.dir, 'settings');
    const cli = (args: string[]) => runCli('source', args, { env: { ...f.env, BENCHTOP_HOME: dataDir }, cwd: root });

    // Earlier this month a VM ran 2 h at $3/h ($6); last month's run does not count.
    const monthStart = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1);
    const earlier = Math.max(monthStart, Date.now() - 3 * HOUR);
    const seeded: VmRun[] = [
      { vm: 'benchtop-earlier', start: new Date(earlier).toISOString(), end: new Date(earlier + 2 * HOUR).toISOString(), pricePerHour: 3 },
      { vm: 'benchtop-last-month', start: new Date(monthStart - 30 * HOUR).toISOString(), end: new Date(monthStart - 20 * HOUR).toISOString(), pricePerHour: 3 },
    ];
    const seededCost = (Math.min(earlier + 2 * HOUR, Date.now()) - earlier) / HOUR * 3;
    mkdirSync(join(dataDir, 'cloud'), { recursive: true });
    writeFileSync(join(dataDir, 'cloud', 'runs.json'), JSON.stringify(seeded));
    expect((await cli(['cloud', 'config', '--monthly-limit', '1'])).code).toBe(0);

    const before = await f.core.cloud.options();
    expect(before.monthlyLimit).toBe(1);
    expect(before.spentThisMonth).toBeCloseTo(seededCost, 2);
    const t4 = before.offers.find((o) => o.gpuType === 'nvidia-tesla-t4')!.shapes.find((s) => s.gpuCount === 1)!;

    // Targets that are no cloud VM of this install cost no GCE call.
    const handlers = createHandlers(f.core);
    const calls = f.server.requests.length;
    expect(await handlers.cloudVmList({ hostIds: ['local', 'gpu-box'] })).toEqual([]);
    expect(f.server.requests.length).toBe(calls);

    // Over the limit: the create says so before it creates, and goes on.
    const vm = await f.core.cloud.create(f.core.ops.create('bt-test-cost-create'), { opId: 'bt-test-cost-create', gpuType: 'nvidia-tesla-t4', gpuCount: 1, diskGb: 50 });
    const warning = f.steps.find((s) => s.opId === 'bt-test-cost-create' && s.step === 'cost');
    expect(warning?.detail).toMatch(/^warning: your cloud VMs have cost about \$\d+\.\d\d this month, over your limit of \$1\.00/);
    expect(f.steps.findIndex((s) => s === warning)).toBeLessThan(f.steps.findIndex((s) => s.opId === 'bt-test-cost-create' && s.step === 'create'));

    const [behind] = await handlers.cloudVmList({ hostIds: [vm.hostId!, 'local'] });
    expect(behind).toMatchObject({ name: vm.name, status: 'RUNNING', priceOrigin: 'billing-api', runningSince: f.server.instance(vm.name)!.lastStartTimestamp });
    expect(behind.pricePerHour).toBeCloseTo(t4.pricePerHour + (before.diskPricePerGbMonth * 50) / 730, 2);

    // A session on the VM: `benchtop ps` shows what the VM costs, in a fixed-width column, and --json says it too.
    project = makeProject();
    const session = await handlers.sessionUp({ opId: 'bt-test-cost-up', dir: project.dir, target: vm.hostId! });
    const ps = await cli(['ps']);
    expect(ps.code, ps.stderr).toBe(0);
    const [header, ...rows] = ps.stdout.split('\n');
    expect(header).toMatch(/\bADDRESS\s+COST\s+NOTE$/);
    const row = rows.find((r) => r.startsWith(session.id))!;
    const money = `$${behind.pricePerHour.toFixed(2)}`.padStart(7);
    expect(row).toMatch(new RegExp(`\\s${vm.name}\\s.*${money.replace(/\$/g, '\\$')}/h\\s+\\$0\\.\\d\\d\\b`));
    expect(header.indexOf('COST')).toBe(row.indexOf(`${money}/h`));
    const json = JSON.parse((await cli(['ps', '--json'])).stdout) as { id: string; cloudCost?: Record<string, unknown> }[];
    expect(json.find((s) => s.id === session.id)?.cloudCost).toMatchObject({ vm: vm.name, pricePerHour: behind.pricePerHour, runningSince: behind.runningSince, priceOrigin: 'billing-api' });

    const ls = await cli(['cloud', 'ls']);
    expect(ls.stdout).toContain(`Prices: Cloud Billing Catalog API, ${new Date().toISOString().slice(0, 10)}`);
    const lsRow = ls.stdout.split('\n').find((r) => r.startsWith(vm.name))!;
    expect(lsRow).toMatch(new RegExp(`${money.replace(/\$/g, '\\$')}\\s+\\$0\\.\\d\\d\\s+you$`));
    await handlers.sessionRemove({ id: session.id });

    // Stopped: the run is written down (GCE keeps only the last start and stop).
    await f.core.cloud.stop(f.core.ops.create('bt-test-cost-stop'), vm.name);
    const runs = () => JSON.parse(readFileSync(join(dataDir, 'cloud', 'runs.json'), 'utf8')) as VmRun[];
    expect(runs()).toContainEqual({ vm: vm.name, start: behind.runningSince, end: f.server.instance(vm.name)!.lastStopTimestamp, pricePerHour: behind.pricePerHour });
    expect(runs().map((r) => r.vm)).toEqual(expect.arrayContaining(['benchtop-earlier', 'benchtop-last-month']));

    // Starting it again from the CLI warns on stderr first.
    const start = await cli(['cloud', 'start', vm.name, '--json']);
    expect(start.code, start.stderr).toBe(0);
    // Even with --json (no progress lines), the warning reaches stderr.
    expect(start.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^cost: warning: your cloud VMs have cost about \$\d+\.\d\d this month, over your limit of \$1\.00/)]);
    expect(JSON.parse(start.stdout)).toMatchObject({ name: vm.name, status: 'RUNNING' });
    const after = await f.core.cloud.options();
    expect(after.spentThisMonth).toBeGreaterThanOrEqual(before.spentThisMonth);

    // Deleted while it runs: that run ends with the delete.
    const restarted = (await f.core.cloud.list()).find((v) => v.name === vm.name)!;
    await f.core.cloud.remove(f.core.ops.create('bt-test-cost-rm'), vm.name);
    expect(runs()).toContainEqual(expect.objectContaining({ vm: vm.name, start: restarted.runningSince }));
    expect(runs().filter((r) => r.vm === vm.name)).toHaveLength(2);
  }, 300_000);
});
