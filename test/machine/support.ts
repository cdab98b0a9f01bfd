import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core } from '../../src/main/core/core';
import { endpointFromHost } from '../../src/main/core/engine/endpoint';
import { openConfSettings } from '../../src/main/core/settings/conf-store';
import type { CheckReport, CheckResult } from '../../src/shared/contract/machine';

/** A core with its own settings folder; `dockerHost` points it at another engine address. */
export function testCore(options: { dockerHost?: string; env?: NodeJS.ProcessEnv } = {}): Core {
  const settings = openConfSettings(mkdtempSync(join(tmpdir(), 'bt-test-machine-')));
  const engine = options.dockerHost ? { resolveLocal: () => endpointFromHost(options.dockerHost as string, 'DOCKER_HOST') } : undefined;
  return new Core({ settings, shell: 'cli', engine, env: options.env ?? process.env });
}

export function result(report: CheckReport, id: string): CheckResult {
  const found = report.results.find((r) => r.id === id);
  if (!found) throw new Error(`no ${id} check in ${report.results.map((r) => r.id).join(', ')}`);
  return found;
}

export const ALL_CHECKS = ['os', 'arch', 'cpus', 'memory', 'disk', 'engine', 'engine-access', 'gpu', 'gpu-runtime', 'gpu-driver', 'ports', 'proxy'];
