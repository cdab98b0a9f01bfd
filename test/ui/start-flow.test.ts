import { describe, expect, it } from 'vitest';
import type { CheckReport, CheckResult } from '../../src/shared/ipc';
import { checkFailure, operationText, stepTitle } from '../../src/renderer/src/lib/start-flow';

const result = (id: string, status: CheckResult['status'], hint?: string): CheckResult => ({
  id,
  title: id.toUpperCase(),
  status,
  value: `${id} value`,
  hint,
  durationMs: 1,
});

const report = (results: CheckResult[]): CheckReport => ({
  startedAt: '2026-11-23T00:00:00Z',
  durationMs: 5,
  results,
  summary: { pass: 0, warn: 0, fail: 0, skipped: 0 },
  text: '',
});

describe('checkFailure', () => {
  it('lets warnings through: only failed checks stop the start', () => {
    expect(checkFailure(report([result('os', 'pass'), result('disk', 'warn', 'Free some space')]))).toBeNull();
  });
  it('names every failed check and carries the first one’s fix hint', () => {
    const failure = checkFailure(report([result('engine', 'fail', 'Start Docker'), result('memory', 'fail', 'Close apps')]));
    expect(failure).toEqual({
      code: 'CHECK_FAILED',
      message: '2 checks failed. ENGINE: engine value; MEMORY: memory value.',
      hint: 'Start Docker',
    });
  });
  it('uses the failed check’s own error code when it has one', () => {
    const engine = { ...result('engine', 'fail', 'Start Docker'), code: 'ENGINE_UNREACHABLE' as const };
    expect(checkFailure(report([result('os', 'pass'), { ...engine, value: 'No engine at /x.sock.' }]))).toEqual({
      code: 'ENGINE_UNREACHABLE',
      message: 'ENGINE: No engine at /x.sock.',
      hint: 'Start Docker',
    });
  });
});

describe('stepTitle', () => {
  it('gives the words used on the Retry button', () => {
    expect(`Retry from ${stepTitle('session')}`).toBe('Retry from Start the session');
  });
});

describe('operationText', () => {
  it('puts the session service’s steps in words and keeps unknown ones as they are', () => {
    expect(operationText('wait-jupyter')).toBe('Waiting for Jupyter');
    expect(operationText('wait-jupyter', 'already running')).toBe('Waiting for Jupyter (already running)');
    expect(operationText('sync-notebooks')).toBe('sync-notebooks');
  });
});
