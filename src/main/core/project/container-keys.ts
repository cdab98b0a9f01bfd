import type { ContainerSettings, LifecycleCommand, VolumeMount } from '../../../shared/contract/project';
import type { Path, Reader } from './reader';
import { parseSize } from './sizes';

/**
 * The devcontainer.json keys that shape the session container (Dev Containers reference,
 * https://containers.dev/implementors/json_reference/): remoteEnv, mounts, runArgs' --shm-size,
 * postCreateCommand, postStartCommand, and Benchtop's explicit customizations.benchtop.limits.
 * Keys Benchtop cannot apply are warnings on the project, never silently dropped.
 */

/** How to get from a Dockerfile, features or compose to what Benchtop runs: a published, pinned image. */
const PUBLISH_HINT =
  'Benchtop runs a published image pinned by digest: build it once (`devcontainer build --workspace-folder . --image-name REGISTRY/REPO:VERSION --push`, or images/publish.sh), set "image" to it and run `benchtop pin`.';

/** Projects Benchtop cannot start at all: compose files, and builds with no image to run instead. */
export function rejectUnbuildable(r: Reader, image: string): void {
  if (r.value(['dockerComposeFile']) !== undefined) {
    r.fail(['dockerComposeFile'], 'describes a Docker Compose project; Benchtop runs one prebuilt image, not compose services', PUBLISH_HINT, 'DEVCONTAINER_UNSUPPORTED');
  }
  for (const key of ['build', 'dockerFile', 'dockerfile'] as const) {
    if (r.value([key]) === undefined) continue;
    if (!image) r.fail([key], 'asks to build an image from a Dockerfile; Benchtop does not build images', PUBLISH_HINT, 'DEVCONTAINER_UNSUPPORTED');
    r.warn([key], `is not built by Benchtop; it runs "image" (${image}) as published`);
  }
  const features = r.value(['features']);
  if (features && typeof features === 'object' && Object.keys(features).length > 0) {
    if (!image) r.fail(['features'], 'adds Dev Container features, which need an image build; Benchtop does not build images', PUBLISH_HINT, 'DEVCONTAINER_UNSUPPORTED');
    r.warn(['features'], `are not installed by Benchtop (${Object.keys(features).join(', ')}); publish an image with them built in (\`devcontainer build … --push\`) and pin it`);
  }
}

function stringMap(r: Reader, path: Path): Record<string, string> {
  const raw = r.object(path) ?? {};
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    // The reference CLI drops a remoteEnv entry set to null (it unsets the variable); Benchtop starts fresh, so it is absent.
    if (value === null) continue;
    if (typeof value !== 'string') r.fail([...path, key], `must be a string, not ${JSON.stringify(value)}`, 'Put the value in double quotes.');
    result[key] = r.substitute(value);
  }
  return result;
}

function lifecycle(r: Reader, key: string): LifecycleCommand | undefined {
  const raw = r.value([key]);
  if (raw === undefined || raw === null) return undefined;
  const argv = (value: unknown, path: Path): string | string[] => {
    if (typeof value === 'string') return r.substitute(value);
    if (Array.isArray(value) && value.length > 0 && value.every((a) => typeof a === 'string')) return (value as string[]).map((a) => r.substitute(a));
    return r.fail(path, 'must be a command line ("…"), a list of arguments (["…", "…"]) or an object of named commands', 'Write e.g. "pip install -e ." or ["make", "data"].');
  };
  if (typeof raw === 'object' && !Array.isArray(raw)) {
    const named: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(raw)) named[name] = argv(value, [key, name]);
    return named;
  }
  return argv(raw, [key]);
}

/** `"source=name,target=/data,type=volume"` (docker --mount syntax) or `{ "source", "target", "type" }`. */
function mountOf(r: Reader, raw: unknown, path: Path): VolumeMount | undefined {
  let fields: Record<string, unknown>;
  if (typeof raw === 'string') {
    fields = {};
    for (const part of r.substitute(raw).split(',')) {
      const at = part.indexOf('=');
      const name = (at < 0 ? part : part.slice(0, at)).trim().toLowerCase();
      fields[name] = at < 0 ? true : part.slice(at + 1).trim();
    }
  } else if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    fields = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), typeof v === 'string' ? r.substitute(v) : v]));
  } else {
    return r.fail(path, 'must be "source=…,target=…,type=volume" or an object', 'Write e.g. "source=pip-cache,target=/home/analyst/.cache/pip,type=volume".');
  }
  const type = String(fields.type ?? 'volume');
  const target = fields.target ?? fields.destination ?? fields.dst;
  const source = fields.source ?? fields.src ?? '';
  if (typeof target !== 'string' || !target.startsWith('/')) r.fail(path, 'needs an absolute "target" inside the container', 'Write e.g. "target=/data".');
  if (type === 'bind') {
    // A folder of this computer does not exist on a GPU host; notebooks travel by sync instead.
    r.warn(path, `is a bind mount of ${String(source)}, which Benchtop does not apply (sessions also run on other machines); use a named volume, or put the files in the notebooks folder`);
    return undefined;
  }
  if (type !== 'volume' && type !== 'tmpfs') r.fail(path, `has type "${type}"; Benchtop applies "volume" and "tmpfs" mounts`, 'Use a named volume: type=volume.');
  if (type === 'volume' && (typeof source !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(source))) {
    r.fail(path, `needs a volume name as "source" (letters, digits, _ . -), not ${JSON.stringify(source)}`, 'Write e.g. "source=${devcontainerId}-data".');
  }
  const readOnly = fields.readonly === true || fields.readonly === 'true' || fields.ro === true || fields.ro === 'true';
  const mount: VolumeMount = { type, source: type === 'tmpfs' ? '' : (source as string), target: target as string };
  if (readOnly) mount.readOnly = true;
  return mount;
}

function mounts(r: Reader): VolumeMount[] {
  const raw = r.value(['mounts']);
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) r.fail(['mounts'], 'must be a list', 'Write e.g. ["source=data,target=/data,type=volume"].');
  return raw.flatMap((m, i) => mountOf(r, m, ['mounts', i]) ?? []);
}

/** runArgs: `--shm-size` is applied; other docker-run flags are named in a warning. */
function shmFromRunArgs(r: Reader): number | undefined {
  const raw = r.value(['runArgs']);
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw) || raw.some((a) => typeof a !== 'string')) r.fail(['runArgs'], 'must be a list of strings', 'Write e.g. ["--shm-size=2g"].');
  const args = (raw as string[]).map((a) => r.substitute(a));
  let shm: number | undefined;
  const ignored: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    const inline = /^--shm-size=(.+)$/.exec(arg);
    if (inline || arg === '--shm-size') {
      const value = inline ? inline[1] : args[++i];
      shm = parseSize(value);
      if (!shm) r.fail(['runArgs', inline ? i : i - 1], `has --shm-size ${JSON.stringify(value)}, which is not a size`, 'Write e.g. "--shm-size=2g".');
    } else if (arg.startsWith('-')) {
      ignored.push(arg);
    }
  }
  if (ignored.length > 0) r.warn(['runArgs'], `${ignored.join(' ')} ${ignored.length === 1 ? 'is' : 'are'} not applied by Benchtop (only --shm-size is)`);
  return shm;
}

function limits(r: Reader): ContainerSettings['limits'] {
  const base = ['customizations', 'benchtop', 'limits'];
  if (!r.object(base)) return {};
  const result: ContainerSettings['limits'] = {};
  const cpus = r.value([...base, 'cpus']);
  if (cpus !== undefined && cpus !== null) {
    if (typeof cpus !== 'number' || !(cpus > 0) || cpus > 4096) r.fail([...base, 'cpus'], `must be a number of CPUs above 0, not ${JSON.stringify(cpus)}`, 'Write e.g. 2 or 1.5; leave it out for no cap.');
    result.cpus = cpus;
  }
  const memory = r.value([...base, 'memory']);
  if (memory !== undefined && memory !== null) {
    const bytes = parseSize(memory);
    if (!bytes) r.fail([...base, 'memory'], `is not a size: ${JSON.stringify(memory)}`, 'Write e.g. "8gb"; leave it out for no cap.');
    result.memoryBytes = bytes;
  }
  return result;
}

/** Lifecycle keys Benchtop does not run yet: said, so nobody waits for them. */
const NOT_RUN = ['initializeCommand', 'onCreateCommand', 'updateContentCommand', 'postAttachCommand'] as const;

export function containerSettings(r: Reader): ContainerSettings {
  const settings: ContainerSettings = {
    remoteEnv: stringMap(r, ['remoteEnv']),
    mounts: mounts(r),
    limits: limits(r),
  };
  const shm = shmFromRunArgs(r);
  if (shm !== undefined) settings.shmSizeBytes = shm;
  const postCreate = lifecycle(r, 'postCreateCommand');
  if (postCreate !== undefined) settings.postCreateCommand = postCreate;
  const postStart = lifecycle(r, 'postStartCommand');
  if (postStart !== undefined) settings.postStartCommand = postStart;
  for (const key of NOT_RUN) {
    if (r.value([key]) !== undefined) r.warn([key], 'is not run by Benchtop (it runs postCreateCommand and postStartCommand); move the command there');
  }
  for (const key of ['workspaceMount', 'workspaceFolder'] as const) {
    if (r.value([key]) !== undefined) r.warn([key], 'is not applied: Benchtop mounts the notebooks folder (customizations.benchtop.notebooks) where the image expects its work');
  }
  return settings;
}

/** containerEnv with `${localEnv:…}` resolved (values must be strings). */
export function containerEnvOf(r: Reader): Record<string, string> {
  return stringMap(r, ['containerEnv']);
}
