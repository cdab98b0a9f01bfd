import type { ProjectInfo } from '../../../shared/contract/project';
import { BenchtopError } from '../errors';

/**
 * Jupyter settings that would open a session to others: on a shared box every account can reach
 * the host's 127.0.0.1, so the token is the only lock, and the server must keep listening where the
 * engine publishes it (on the target's loopback only). Matched on the option's last segment, so
 * `--ServerApp.token`, `--NotebookApp.token` and `--IdentityProvider.token` are all caught.
 */
const REFUSED_OPTIONS = new Set([
  // the token and the other ways to log in
  'token', 'password', 'password_required', 'hashed_password', 'allow_unauthenticated_access',
  'identity_provider_class', 'login_handler_class', 'authorizer_class', 'auth_enabled',
  // where it listens, and who may call it
  'ip', 'allow_remote_access', 'local_hostnames', 'trust_xheaders', 'allow_origin', 'allow_origin_pat',
  'allow_credentials', 'disable_check_xsrf', 'tornado_settings',
  // a config file could set any of the above
  'config', 'config_file', 'config_file_name',
]);

/** Environment a project may not set: Jupyter takes its token from it. */
const REFUSED_ENV = new Set(['JUPYTER_TOKEN']);

/** `--ServerApp.token=` → `token`; `--ip` → `ip`; not an option → undefined. */
function optionName(arg: string): string | undefined {
  if (!arg.startsWith('-')) return undefined;
  const name = arg.replace(/^-+/, '').split('=')[0];
  return name.split('.').pop()?.toLowerCase().replace(/-/g, '_');
}

/** The project's Jupyter arguments that are refused (as written), in order. */
export function refusedJupyterArgs(args: readonly string[]): string[] {
  return args.filter((arg) => {
    const name = optionName(arg);
    return name !== undefined && REFUSED_OPTIONS.has(name);
  });
}

/**
 * Throws JUPYTER_ARGS_REFUSED when the project's settings would turn the session's token or its
 * loopback-only listening off. Checked before anything is pulled or started.
 */
export function assertPrivateJupyter(project: Pick<ProjectInfo, 'devcontainerPath' | 'jupyter' | 'containerEnv'>): void {
  const args = refusedJupyterArgs(project.jupyter.args);
  const env = Object.keys(project.containerEnv).filter((k) => REFUSED_ENV.has(k));
  if (!args.length && !env.length) return;
  const what = [...args.map((a) => `"${a}"`), ...env.map((k) => `containerEnv ${k}`)].join(', ');
  throw new BenchtopError('JUPYTER_ARGS_REFUSED',
    `${project.devcontainerPath} sets ${what}, which would let others reach the session: Benchtop always starts Jupyter with its own token, listening only where the engine publishes it on 127.0.0.1.`,
    'Remove those from customizations.benchtop.jupyter.args (and containerEnv); open the session with `benchtop open ID` or from the app, which pass the token for you.');
}
