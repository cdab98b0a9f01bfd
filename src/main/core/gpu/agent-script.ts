import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The on-host agent's source (src/target-agent/agent.py), read from wherever this build keeps it:
 * beside the sources (tests, tsx, the CLI run from a checkout: out/cli is two folders below the root)
 * or in the packaged app's resources (electron-builder.yml copies it there).
 */
export function agentScript(): { text: string; version: number } {
  const here = dirname(fileURLToPath(import.meta.url));
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = [
    join(here, '../../../target-agent/agent.py'),
    join(here, '../../src/target-agent/agent.py'),
    ...(resources ? [join(resources, 'target-agent/agent.py')] : []),
  ];
  for (const path of candidates) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue; // not in this layout; the next candidate is
    }
    return { text, version: Number(/^AGENT_VERSION = (\d+)$/m.exec(text)?.[1] ?? 0) };
  }
  throw new Error(`The host agent's program was not found (looked in ${candidates.join(', ')}).`);
}
