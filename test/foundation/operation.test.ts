import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/main/core/events';
import { createLogger, type LogSink } from '../../src/main/core/log/logger';
import { Operations } from '../../src/main/core/operations';
import { followOperation } from '../../src/shared/follow-operation';
import type { EventMap } from '../../src/shared/ipc';

function setup() {
  const bus = new EventBus();
  const lines: string[] = [];
  const sink: LogSink = { level: 'debug', write: (line) => void lines.push(line) };
  const ops = new Operations({ bus, log: createLogger([sink]) });
  const on = <E extends keyof EventMap>(event: E, listener: (p: EventMap[E]) => void) => bus.on(event, listener);
  return { bus, ops, lines, on };
}

describe('one Operation object', () => {
  it('reports typed steps and progress keyed by its id, and its children under <id>:<name>', async () => {
    const { ops, on } = setup();
    const seen: string[] = [];
    const off = followOperation(on, 'op-1', {
      operationStep: (s) => seen.push(`${s.opId} ${s.step}${s.detail ? ` ${s.detail}` : ''}`),
      syncProgress: (p) => seen.push(`${p.opId} sync ${p.phase}`),
    });
    const unrelated: string[] = [];
    followOperation(on, 'op-10', { operationStep: (s) => unrelated.push(s.opId) });
    await ops.run('op-1', async (op) => {
      op.step('check', '/project');
      const child = op.child('sync');
      expect(child.id).toBe('op-1:sync');
      expect(child.signal).toBe(op.signal);
      child.progress('syncProgress', { sessionId: 's', phase: 'uploading', filesDone: 1, filesTotal: 2, bytesDone: 3, bytesTotal: 4, conflicts: [] });
      op.step('start');
    });
    off();
    await ops.run('op-1', async (op) => op.step('wait-jupyter'));
    expect(seen).toEqual(['op-1 check /project', 'op-1:sync sync uploading', 'op-1 start']);
    expect(unrelated).toEqual([]);
  });

  it('follows only the operation itself with children: false', async () => {
    const { ops, on } = setup();
    const seen: string[] = [];
    followOperation(on, 'move-1', { operationStep: (s) => seen.push(`${s.opId} ${s.step}`) }, { children: false });
    await ops.run('move-1', async (op) => {
      op.step('pull');
      op.child('up').step('check');
    });
    expect(seen).toEqual(['move-1 pull']);
  });

  it('is cancelled by its id, children with it; a child can get its own signal for a clean-up', async () => {
    const { ops } = setup();
    let release: () => void = () => undefined;
    const running = ops.run('op-2', (op) => new Promise<[boolean, boolean, boolean]>((resolve) => {
      const child = op.child('sync');
      const cleanUp = op.child('restore', new AbortController().signal);
      release = () => resolve([op.signal.aborted, child.signal.aborted, cleanUp.signal.aborted]);
    }));
    await expect(ops.run('op-2', async () => 1)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(ops.cancel('op-2')).toBe(true);
    release();
    expect(await running).toEqual([true, true, false]);
    expect(ops.cancel('op-2')).toBe(false);
    expect(ops.size).toBe(0);
  });

  it('logs its steps with its id as context', async () => {
    const { ops, lines } = setup();
    await ops.run('op-3', async (op) => op.step('pull', 'registry/team/analysis@sha256:abc'));
    expect(lines.some((l) => l.includes('op-3') && l.includes('step pull: registry/team/analysis@sha256:abc'))).toBe(true);
  });
});
