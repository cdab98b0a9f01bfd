import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { agentScript } from '../../src/main/core/gpu/agent-script';
import { cpuBusy, CPU_BUSY_CORES, lastActivity } from '../../src/main/core/jupyter/idle-rule';
import { fromLabels, toLabels } from '../../src/main/core/session/labels';
import { LogDemuxer, redactor } from '../../src/main/core/session/logs';
import { sessionIdFor } from '../../src/main/core/session/naming';
import { isMine } from '../../src/main/core/session/ownership';
import { describeSession } from '../../src/main/core/session/state';
import { toSessionStats } from '../../src/main/core/session/stats';

const frame = (stream: 1 | 2, text: string) => {
  const body = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
};

describe('session pieces', () => {
  it('demultiplexes the engine’s log frames into lines, across chunk boundaries', () => {
    const d = new LogDemuxer();
    const all = Buffer.concat([frame(1, 'one\ntw'), frame(2, 'err line\n'), frame(1, 'o\nthree')]);
    const lines = [...d.push(all.subarray(0, 5)), ...d.push(all.subarray(5, 20)), ...d.push(all.subarray(20))];
    expect([...lines, ...d.end()]).toEqual(['one', 'err line', 'two', 'three']);
  });

  it('masks the token wherever it appears', () => {
    expect(redactor('abc123')('url http://x/?token=abc123 and abc123')).toBe('url http://x/?token=<token> and <token>');
  });

  it('names sessions readably and uniquely per owner, folder and target', () => {
    const a = sessionIdFor('Sales Forecast!', '/home/ann/sales', 'local', 'install-ann');
    expect(a).toMatch(/^benchtop-sales-forecast-[0-9a-f]{8}$/);
    expect(sessionIdFor('Sales Forecast!', '/home/ann/sales', 'gpu-box', 'install-ann')).not.toBe(a);
    expect(sessionIdFor('Sales Forecast!', '/home/bob/sales', 'local', 'install-ann')).not.toBe(a);
    // Two teammates with the same checkout path on one shared host: two sessions, never one.
    expect(sessionIdFor('Sales Forecast!', '/home/ann/sales', 'local', 'install-bob')).not.toBe(a);
  });

  it('round-trips everything through labels, which is all that survives an app restart', () => {
    const labels = { projectDir: '/p', projectName: 'p', user: 'ann', image: 'r/a', digest: 'sha256:x', version: '2026.11.2', appVersion: '0.1.0', target: 'local', gpus: ['GPU-1', 'GPU-2'], idleMinutes: 30, port: 8871 };
    expect(fromLabels(toLabels(labels))).toEqual(labels);
    const owned = { ...labels, owner: { id: 'install-ann', name: 'ann' } };
    expect(fromLabels(toLabels(owned))).toEqual(owned);
    expect(fromLabels({ other: '1' })).toBeUndefined();
  });

  it('tells a killed, an OOM-killed and a cleanly stopped session apart', () => {
    const base = (state: Partial<Docker.ContainerInspectInfo['State']>) => ({
      Name: '/benchtop-p-1', Config: { Env: ['JUPYTER_TOKEN=t'], Labels: toLabels({ projectDir: '/p', projectName: 'p', user: 'u', image: 'r', digest: 'd', appVersion: '0', target: 'local', gpus: [], idleMinutes: 0, port: 8870 }) },
      HostConfig: { Memory: 2 ** 30 }, State: { Running: false, Status: 'exited', ExitCode: 0, OOMKilled: false, FinishedAt: 't', StartedAt: 's', Error: '', ...state },
    }) as unknown as Docker.ContainerInspectInfo;
    const mine = { target: 'local', mine: true };
    expect(describeSession(base({ ExitCode: 137 }), { ...mine, ready: false })).toMatchObject({ state: 'failed', code: 'CONTAINER_EXITED', message: expect.stringContaining('killed') });
    expect(describeSession(base({ ExitCode: 137, OOMKilled: true }), { ...mine, ready: false })).toMatchObject({ state: 'failed', code: 'CONTAINER_OOM', message: expect.stringContaining('1.0 GiB') });
    expect(describeSession(base({ ExitCode: 0 }), { ...mine, ready: false })).toMatchObject({ state: 'stopped' });
    expect(describeSession(base({ Running: true, Status: 'running' }), { ...mine, ready: true })).toMatchObject({ state: 'ready', url: 'http://127.0.0.1:8870/?token=t' });
    expect(describeSession(base({ Running: true, Status: 'running' }), { ...mine, ready: false })?.url).toBeUndefined();
  });

  it('shows a teammate’s session read-only: owner and GPUs, no URL, no port; owner-less ones are mine only locally', () => {
    const inspect = (owner?: { id: string; name: string }) => ({
      Name: '/benchtop-p-2', Config: { Env: ['JUPYTER_TOKEN=secret'], Labels: toLabels({ projectDir: '/p', projectName: 'p', user: 'u', image: 'r', digest: 'd', appVersion: '0', target: 'their-name-for-it', gpus: ['GPU-a', 'GPU-b'], idleMinutes: 0, port: 8870, owner }) },
      HostConfig: {}, State: { Running: true, Status: 'running', ExitCode: 0, OOMKilled: false, FinishedAt: '', StartedAt: '2026-11-23T10:02:00Z', Error: '' },
    }) as unknown as Docker.ContainerInspectInfo;
    const bob = { id: 'install-bob', name: 'bob' };
    const theirs = describeSession(inspect(bob), { target: 'gpu-box', mine: false, ready: true, localPort: 40001 });
    expect(theirs).toMatchObject({ state: 'ready', mine: false, owner: bob, target: 'gpu-box', gpus: ['GPU-a', 'GPU-b'], startedAt: '2026-11-23T10:02:00Z' });
    expect(theirs?.url).toBeUndefined();
    expect(theirs?.hostPort).toBeUndefined();
    expect(JSON.stringify(theirs)).not.toContain('secret');
    const me = { id: 'install-ann', name: 'ann' };
    expect(isMine(inspect(bob).Config.Labels, me, 'gpu-box')).toBe(false);
    expect(isMine(inspect(me).Config.Labels, me, 'gpu-box')).toBe(true);
    expect(isMine(inspect().Config.Labels, me, 'local')).toBe(true);
    expect(isMine(inspect().Config.Labels, me, 'gpu-box')).toBe(false);
  });

  it('computes CPU % like `docker stats` and leaves the page cache out of memory', () => {
    const s = toSessionStats('id', {
      read: '2026-11-23T10:00:00Z',
      cpu_stats: { cpu_usage: { total_usage: 3_000 }, system_cpu_usage: 20_000, online_cpus: 2 },
      precpu_stats: { cpu_usage: { total_usage: 1_000 }, system_cpu_usage: 10_000 },
      memory_stats: { usage: 500, limit: 1000, stats: { inactive_file: 100 } },
    });
    expect(s).toEqual({ id: 'id', at: '2026-11-23T10:00:00Z', cpuPercent: 40, memoryBytes: 400, memoryLimitBytes: 1000 });
  });

  it('counts a busy kernel as activity now, and otherwise the newest activity', () => {
    const t = (iso: string) => Date.parse(iso);
    const status = { last_activity: '2026-11-23T10:00:00Z' };
    expect(lastActivity(status, [{ id: 'k', name: 'python3', execution_state: 'busy', last_activity: '2026-11-23T09:00:00Z' }], 0, 123)).toBe(123);
    expect(lastActivity(status, [{ id: 'k', name: 'python3', execution_state: 'idle', last_activity: '2026-11-23T10:05:00Z' }], 0, 123)).toBe(t('2026-11-23T10:05:00Z'));
    expect(lastActivity(status, [], t('2026-11-23T11:00:00Z'), 0)).toBe(t('2026-11-23T11:00:00Z'));
  });

  it('counts a container using a quarter of a core or more over at least 5 s as working', () => {
    const s = (atMs: number, cpuSeconds: number) => ({ atMs, ns: cpuSeconds * 1e9 });
    expect(cpuBusy(s(0, 0), s(10_000, 5))).toBe(true); // half a core
    expect(cpuBusy(s(0, 0), s(10_000, 2.5))).toBe(true); // a quarter
    expect(cpuBusy(s(0, 0), s(10_000, 0.1))).toBe(false); // 1%: Jupyter answering polls
    expect(cpuBusy(s(0, 0), s(1_000, 1))).toBe(false); // too short a window to say
    expect(cpuBusy(s(0, 5), s(10_000, 0))).toBe(false); // a restarted container's counter
    // The host agent (python, shipped as a file) judges by the same figure as the app and Slurm jobs.
    expect(Number(/^CPU_BUSY_CORES = ([\d.]+)$/m.exec(agentScript().text)?.[1])).toBe(CPU_BUSY_CORES);
  });
});
