import { posix } from 'node:path';
import { LOCKFILE_SHA_LABEL as BENCHTOP_LOCKFILE_LABEL } from '../lockfile/image-labels';

/**
 * How Jupyter starts in an image. Benchtop's own images carry `benchtop-jupyter`; the
 * jupyter/docker-stacks images (and images built the same way) start with `start-notebook.py`
 * (or `.sh`) as user jovyan in /home/jovyan/work; any other image with `jupyter lab`,
 * `jupyter notebook` or `jupyter server` on PATH is started by a small shell line. In every case
 * the token comes from $JUPYTER_TOKEN (Jupyter reads it itself, so it is never on a command line)
 * and Jupyter listens on 0.0.0.0 inside the container, published on the target's 127.0.0.1 only.
 */
export type JupyterImageKind = 'benchtop' | 'docker-stacks' | 'jupyter';

/** What `docker image inspect` says about how the image starts. */
export interface ImageFacts {
  entrypoint: string[];
  cmd: string[];
  env: Record<string, string>;
  labels: Record<string, string>;
  user: string;
  workingDir: string;
}

export interface JupyterStart {
  kind: JupyterImageKind;
  /** Replaces the image's entrypoint when set. */
  entrypoint?: string[];
  cmd: string[];
  /** Where the notebooks folder is mounted. */
  workspace: string;
  /** Extra groups for the container user (docker-stacks: `users`, which owns its home). */
  groupAdd?: string[];
}

export const BENCHTOP_JUPYTER = '/usr/local/bin/benchtop-jupyter';
export const BENCHTOP_WORKSPACE = '/home/analyst/work';
const START_NOTEBOOK = /(^|\/)start-notebook\.(py|sh)$/;

interface InspectLike {
  Config?: {
    Entrypoint?: string[] | string | null;
    Cmd?: string[] | string | null;
    Env?: string[] | null;
    Labels?: Record<string, string> | null;
    User?: string;
    WorkingDir?: string;
  };
}

const list = (v: string[] | string | null | undefined): string[] => (Array.isArray(v) ? v : v ? [v] : []);

export function imageFactsOf(inspect: InspectLike): ImageFacts {
  const c = inspect.Config ?? {};
  const env: Record<string, string> = {};
  for (const entry of c.Env ?? []) {
    const at = entry.indexOf('=');
    if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return { entrypoint: list(c.Entrypoint), cmd: list(c.Cmd), env, labels: c.Labels ?? {}, user: c.User ?? '', workingDir: c.WorkingDir ?? '' };
}

export function jupyterImageKind(facts: ImageFacts): JupyterImageKind {
  if (facts.labels[BENCHTOP_LOCKFILE_LABEL] !== undefined || [...facts.entrypoint, ...facts.cmd].some((a) => a.endsWith('benchtop-jupyter'))) return 'benchtop';
  if (facts.cmd.some((a) => START_NOTEBOOK.test(a)) || facts.entrypoint.some((a) => START_NOTEBOOK.test(a)) || facts.env.NB_USER !== undefined) return 'docker-stacks';
  return 'jupyter';
}

/**
 * Starts whichever Jupyter the image has, with a writable HOME for a container user that has no
 * home of its own (Benchtop runs as the host user so notebooks stay theirs).
 */
const START_ANY_JUPYTER = [
  'if [ -z "${HOME:-}" ] || [ ! -w "$HOME" ]; then HOME="/tmp/benchtop-home-$(id -u)"; mkdir -p "$HOME"; export HOME; fi',
  'for app in lab notebook server; do',
  '  if command -v "jupyter-$app" >/dev/null 2>&1; then echo "benchtop: starting jupyter $app" >&2; exec jupyter "$app" "$@"; fi',
  'done',
  'echo "benchtop: this image has no Jupyter on PATH (jupyter-lab, jupyter-notebook or jupyter-server)" >&2',
  'exit 127',
].join('\n');

/** Options every Jupyter (notebook 6, jupyter_server 1–2, lab 3–4) takes under the same names. */
function serverOptions(port: number, workspace: string, uid: string | undefined): string[] {
  const options = ['--ip=0.0.0.0', `--port=${port}`, '--no-browser', `--notebook-dir=${workspace}`];
  // Jupyter refuses to run as root without it; a root container user is what the host user maps to there.
  if (uid === '0') options.push('--allow-root');
  return options;
}

export function jupyterStart(facts: ImageFacts, options: { port: number; args: string[]; user?: string; projectDir: string }): JupyterStart {
  const kind = jupyterImageKind(facts);
  const uid = options.user?.split(':')[0];
  if (kind === 'benchtop') return { kind, cmd: [BENCHTOP_JUPYTER, ...options.args], workspace: BENCHTOP_WORKSPACE };
  if (kind === 'docker-stacks') {
    const workspace = posix.join('/home', facts.env.NB_USER || 'jovyan', 'work');
    const script = [...facts.cmd, ...facts.entrypoint].find((a) => START_NOTEBOOK.test(a)) ?? 'start-notebook.py';
    return { kind, cmd: [script, ...serverOptions(options.port, workspace, uid), ...options.args], workspace, groupAdd: ['users'] };
  }
  const workspace = posix.join('/workspaces', posix.basename(options.projectDir.replace(/\\/g, '/')) || 'project');
  return { kind, entrypoint: ['/bin/sh', '-c', START_ANY_JUPYTER, 'benchtop-start'], cmd: [...serverOptions(options.port, workspace, uid), ...options.args], workspace };
}
