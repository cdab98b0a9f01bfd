import type { ContainerSettings, HostRequirements } from '../../../shared/contract/project';
import { containerEnvOf, containerSettings, rejectUnbuildable } from './container-keys';
import { parseJsoncTree } from './jsonc';
import { Reader, type Path } from './reader';
import { parseSize } from './sizes';
import { substituteLocal, type LocalContext } from './substitute';

/** What Benchtop reads from devcontainer.json, validated, with defaults filled in. */
export interface DevcontainerConfig {
  name?: string;
  /** The `image` value exactly as written ('' when absent). */
  image: string;
  hostRequirements: HostRequirements;
  containerEnv: Record<string, string>;
  forwardPorts: number[];
  notebooks: string;
  lockfile: string;
  jupyter: { port?: number; args: string[] };
  /** Undefined when the project does not say; the app's setting applies then. */
  idleMinutes?: number;
  container: ContainerSettings;
  /** Keys read but not applied (features, bind mounts, other runArgs …). */
  warnings: string[];
}

export const DEFAULT_NOTEBOOKS = 'notebooks';
export const DEFAULT_LOCKFILE = 'environment.lock';

function hostRequirements(r: Reader): HostRequirements {
  const base = ['hostRequirements'];
  if (!r.object(base)) return {};
  const result: HostRequirements = {};
  const cpus = r.integer([...base, 'cpus'], 1, 4096, 'CPUs');
  if (cpus !== undefined) result.cpus = cpus;
  for (const key of ['memory', 'storage'] as const) {
    const raw = r.value([...base, key]);
    if (raw === undefined || raw === null) continue;
    const bytes = parseSize(raw);
    if (bytes === undefined || bytes === 0) {
      r.fail([...base, key], `is not a size: ${JSON.stringify(raw)}`, `Write a positive size with a unit, e.g. "${key === 'memory' ? '16gb' : '64gb'}".`);
    }
    result[key] = String(raw);
    result[key === 'memory' ? 'memoryBytes' : 'storageBytes'] = bytes;
  }
  const gpu = r.value([...base, 'gpu']);
  if (gpu === true || gpu === false || gpu === 'optional') {
    result.gpu = gpu;
  } else if (gpu !== undefined && gpu !== null) {
    // The spec also allows { cores, memory }: asking for specific GPU resources means a GPU is required.
    if (typeof gpu === 'object' && !Array.isArray(gpu)) result.gpu = true;
    else r.fail([...base, 'gpu'], `must be true, false or "optional", not ${JSON.stringify(gpu)}`, 'Use "optional" when the project runs without a GPU but is faster with one.');
  }
  return result;
}

function forwardPorts(r: Reader): number[] {
  const raw = r.value(['forwardPorts']);
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) r.fail(['forwardPorts'], 'must be a list of ports', 'Write e.g. [8050, 6006].');
  return raw.map((port, i) => {
    // The spec allows "host:port" strings; Benchtop forwards container ports, so keep the number.
    const value = typeof port === 'string' && /^(?:[^:]+:)?\d+$/.test(port) ? Number(port.split(':').pop()) : port;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
      r.fail(['forwardPorts', i], `is not a port: ${JSON.stringify(port)}`, 'Ports are whole numbers from 1 to 65535.');
    }
    return value;
  });
}

function relativePath(r: Reader, path: Path, fallback: string): string {
  const value = r.string(path) ?? fallback;
  if (!value.trim()) r.fail(path, 'must not be empty', `Leave it out to use "${fallback}".`);
  if (value.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(value) || value.split(/[\\/]/).includes('..')) {
    r.fail(path, `must be a path inside the project, not ${JSON.stringify(value)}`, `Use a relative path such as "${fallback}".`);
  }
  return value;
}

function benchtop(r: Reader): Pick<DevcontainerConfig, 'notebooks' | 'lockfile' | 'jupyter' | 'idleMinutes'> {
  const base = ['customizations', 'benchtop'];
  r.object(['customizations']);
  r.object(base);
  r.object([...base, 'jupyter']);
  const port = r.integer([...base, 'jupyter', 'port'], 1, 65535, '');
  const argsRaw = r.value([...base, 'jupyter', 'args']);
  let args: string[] = [];
  if (argsRaw !== undefined && argsRaw !== null) {
    if (!Array.isArray(argsRaw) || argsRaw.some((a) => typeof a !== 'string')) {
      r.fail([...base, 'jupyter', 'args'], 'must be a list of strings', 'Write e.g. ["--ServerApp.iopub_data_rate_limit=1e10"].');
    }
    args = argsRaw as string[];
  }
  const result: Pick<DevcontainerConfig, 'notebooks' | 'lockfile' | 'jupyter' | 'idleMinutes'> = {
    notebooks: relativePath(r, [...base, 'notebooks'], DEFAULT_NOTEBOOKS),
    lockfile: relativePath(r, [...base, 'lockfile'], DEFAULT_LOCKFILE),
    jupyter: port === undefined ? { args } : { port, args },
  };
  const idle = r.integer([...base, 'idleMinutes'], 0, 7 * 24 * 60, 'minutes');
  if (idle !== undefined) result.idleMinutes = idle;
  return result;
}

/**
 * Parses and validates devcontainer.json text. `file` names it in messages. With `local`, string
 * values that the Dev Containers CLI substitutes get `${localEnv:…}`, `${localWorkspaceFolder}` …
 * resolved; `${containerEnv:…}` and `${containerWorkspaceFolder}` wait for the container.
 */
export function parseDevcontainer(text: string, file: string, local?: LocalContext): DevcontainerConfig {
  const substitute = local ? (value: string) => substituteLocal(value, local) : undefined;
  const r = new Reader(text, file, parseJsoncTree(text, file), substitute);
  const image = r.string(['image']) ?? '';
  rejectUnbuildable(r, image);
  const config: DevcontainerConfig = {
    image,
    hostRequirements: hostRequirements(r),
    containerEnv: containerEnvOf(r),
    forwardPorts: forwardPorts(r),
    ...benchtop(r),
    container: containerSettings(r),
    warnings: r.warnings,
  };
  const name = r.string(['name']);
  if (name !== undefined) config.name = r.substitute(name);
  return config;
}
