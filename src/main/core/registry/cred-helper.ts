import { spawn } from 'node:child_process';
import { BenchtopError, systemCode } from '../errors';

export interface HelperCredentials {
  username: string;
  secret: string;
}

const HELPER_TIMEOUT_MS = 10_000;

function helperFailed(name: string, server: string, why: string): BenchtopError {
  return new BenchtopError(
    'CREDENTIAL_HELPER_FAILED',
    `docker-credential-${name} could not give the login for ${server}: ${why}.`,
    `Check that docker-credential-${name} works (\`echo ${server} | docker-credential-${name} get\`), or log in again with \`docker login ${server}\`.`,
  );
}

/**
 * Asks a Docker credential helper (`docker-credential-<name> get`, server on stdin, JSON on stdout)
 * for a login. Undefined when the helper has none for that server; CREDENTIAL_HELPER_FAILED when it
 * is missing, hangs (a locked keychain waiting for a prompt) or answers garbage.
 */
export function runCredentialHelper(name: string, server: string, env: NodeJS.ProcessEnv, timeoutMs = HELPER_TIMEOUT_MS): Promise<HelperCredentials | undefined> {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) return Promise.reject(helperFailed(name, server, 'the helper name is not valid'));
  return new Promise((resolve, reject) => {
    const child = spawn(`docker-credential-${name}`, ['get'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      action();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(() => reject(helperFailed(name, server, `no answer within ${timeoutMs / 1000} s`)));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) =>
      finish(() => reject(helperFailed(name, server, systemCode(error) === 'ENOENT' ? `docker-credential-${name} is not installed (not on PATH)` : error.message))));
    child.on('close', (code) =>
      finish(() => {
        const output = `${stdout}\n${stderr}`.trim();
        if (code !== 0) {
          // The helper protocol's answer for "nothing stored for this server".
          if (/credentials not found/i.test(output)) resolve(undefined);
          else reject(helperFailed(name, server, `exit ${code}: ${output.slice(0, 200) || 'no output'}`));
          return;
        }
        try {
          const parsed = JSON.parse(stdout) as { Username?: unknown; Secret?: unknown };
          if (typeof parsed.Secret !== 'string' || !parsed.Secret) {
            resolve(undefined);
            return;
          }
          resolve({ username: typeof parsed.Username === 'string' ? parsed.Username : '', secret: parsed.Secret });
        } catch {
          reject(helperFailed(name, server, 'its answer is not JSON'));
        }
      }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(server);
  });
}
