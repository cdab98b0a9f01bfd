import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BenchtopError } from '../errors';

const LOGIN = 'gcloud auth application-default login';

/**
 * Where Application Default Credentials are, as google-auth-library looks for them:
 * GOOGLE_APPLICATION_CREDENTIALS, else gcloud's ADC file (CLOUDSDK_CONFIG, %APPDATA%\gcloud or
 * ~/.config/gcloud). The last ADC source, the metadata server of a GCE VM, is not probed: a laptop
 * is no VM, and probing it is what makes "no credentials" hang for seconds instead of saying so.
 */
export function adcFile(env: NodeJS.ProcessEnv): string {
  const named = env.GOOGLE_APPLICATION_CREDENTIALS;
  if (named) {
    if (!existsSync(named)) {
      throw new BenchtopError('CLOUD_AUTH_MISSING', `GOOGLE_APPLICATION_CREDENTIALS names ${named}, which does not exist.`,
        `Point it at a credentials file, or unset it and run \`${LOGIN}\`.`);
    }
    return named;
  }
  const configDir = env.CLOUDSDK_CONFIG || (process.platform === 'win32' && env.APPDATA ? join(env.APPDATA, 'gcloud') : join(env.HOME || homedir(), '.config', 'gcloud'));
  const file = join(configDir, 'application_default_credentials.json');
  if (!existsSync(file)) {
    throw new BenchtopError('CLOUD_AUTH_MISSING', `No Google Cloud credentials: GOOGLE_APPLICATION_CREDENTIALS is not set and ${file} does not exist.`,
      `Run \`${LOGIN}\` (or set GOOGLE_APPLICATION_CREDENTIALS to a service account key), then try again.`);
  }
  return file;
}

/** What a refused or failed token request becomes. */
export function authFailed(file: string, error: unknown): BenchtopError {
  const detail = error instanceof Error ? error.message : String(error);
  return new BenchtopError('CLOUD_AUTH_FAILED', `Google Cloud refused the credentials in ${file}: ${detail.split('\n')[0]}`,
    `Log in again with \`${LOGIN}\`.`, { cause: error });
}
