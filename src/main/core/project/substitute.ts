import { createHash } from 'node:crypto';
import { basename, posix } from 'node:path';

/**
 * `${…}` variables in devcontainer.json values, resolved the way the reference Dev Containers CLI
 * does (src/spec-common/variableSubstitution.ts there): `${name:arg1:arg2}` splits on ':'; a
 * missing environment variable is its default (the second argument) or '' as a shell would give;
 * a variable Benchtop does not know stays as written. Two phases, as there: local values when the
 * file is read, container values when the container's environment and folder are known.
 */

const VARIABLE = /\$\{(.*?)\}/g;

export interface LocalContext {
  env: NodeJS.ProcessEnv;
  /** The project folder on this computer. */
  localWorkspaceFolder: string;
  /** Stable per project and configuration, for volume names (`${devcontainerId}`). */
  devcontainerId: string;
}

export interface ContainerContext {
  /** Where the notebooks are inside the container. */
  containerWorkspaceFolder: string;
  /** The container's environment: the image's Env with containerEnv over it. */
  containerEnv: Record<string, string>;
}

type Replace = (match: string, variable: string, args: string[]) => string;

function resolveString(value: string, replace: Replace): string {
  return value.replace(VARIABLE, (match: string, inner: string) => {
    const [variable, ...args] = inner.split(':');
    return replace(match, variable, args);
  });
}

/** `${localEnv:NAME}` / `${localEnv:NAME:default}`; an unnamed lookup stays as written (the reference CLI refuses it). */
function lookup(env: Record<string, string | undefined>, args: string[], match: string): string {
  if (args.length === 0 || !args[0]) return match;
  const value = env[args[0]];
  if (typeof value === 'string') return value;
  return args.length > 1 ? args[1] : '';
}

/** Environment variable names are case-insensitive on Windows; the reference CLI lowercases them there. */
function normalized(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Record<string, string | undefined> {
  if (platform !== 'win32') return env;
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k.toLowerCase(), v]));
}

/** Phase one: `${localEnv:…}` (and its old name `${env:…}`), `${localWorkspaceFolder[Basename]}`, `${localHomeFolder}`, `${devcontainerId}`. */
export function substituteLocal(value: string, ctx: LocalContext, platform: NodeJS.Platform = process.platform): string {
  const env = normalized(ctx.env, platform);
  return resolveString(value, (match, variable, args) => {
    switch (variable) {
      case 'env':
      case 'localEnv':
        return lookup(env, platform === 'win32' ? args.map((a, i) => (i === 0 ? a.toLowerCase() : a)) : args, match);
      case 'localHomeFolder':
        return env[platform === 'win32' ? 'userprofile' : 'HOME'] ?? '';
      case 'localWorkspaceFolder':
        return ctx.localWorkspaceFolder;
      case 'localWorkspaceFolderBasename':
        return basename(ctx.localWorkspaceFolder);
      case 'devcontainerId':
        return ctx.devcontainerId;
      default:
        return match;
    }
  });
}

/** Phase two, once the container is known: `${containerWorkspaceFolder[Basename]}` and `${containerEnv:…}`. */
export function substituteContainer(value: string, ctx: ContainerContext): string {
  return resolveString(value, (match, variable, args) => {
    switch (variable) {
      case 'containerWorkspaceFolder':
        return ctx.containerWorkspaceFolder;
      case 'containerWorkspaceFolderBasename':
        return posix.basename(ctx.containerWorkspaceFolder);
      case 'containerEnv':
        return lookup(ctx.containerEnv, args, match);
      default:
        return match;
    }
  });
}

/** Applies `fn` to every string inside a JSON value (object keys stay as written). */
export function mapStrings<T>(value: T, fn: (s: string) => string): T {
  if (typeof value === 'string') return fn(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => mapStrings(v, fn)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)])) as T;
  }
  return value;
}

/**
 * `${devcontainerId}`: stable for one project folder and configuration file on this computer, the
 * same shape as the reference CLI's (a sha256 in base 32, 52 characters), so volume names built
 * from it stay the project's own across restarts.
 */
export function devcontainerIdFor(projectDir: string, configFile: string): string {
  const hash = createHash('sha256').update(JSON.stringify({ project: projectDir, config: configFile })).digest('hex');
  return BigInt(`0x${hash}`).toString(32).padStart(52, '0');
}
