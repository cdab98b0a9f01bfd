import { BenchtopError } from '../errors';
import { authKeyHost, serverAddressFor } from './docker-config';
import { RegistryTransport, type TransportDeps } from './transport';

export interface LoginToCheck {
  registry: string;
  username: string;
  password: string;
}

/** What the check found: `checked` when the registry accepted this login; `anonymous` when it asks for none at its API root. */
export type LoginCheck = { state: 'checked' | 'anonymous'; host: string };

/**
 * Signs in to a registry with a login that is not saved yet, as `docker login` does: `GET /v2/`
 * anonymously, then with the login on the 401 challenge (Basic, or the token service without a
 * scope). A refused login throws REGISTRY_AUTH_FAILED; an unreachable registry REGISTRY_UNREACHABLE.
 */
export async function checkRegistryLogin(
  deps: Pick<TransportDeps, 'insecureRegistries' | 'timeoutMs' | 'env'>,
  login: LoginToCheck,
  signal?: AbortSignal,
): Promise<LoginCheck> {
  const host = authKeyHost(login.registry);
  // The transport asks for the login only when the registry challenges: never asked means anonymous.
  let asked = false;
  const transport = new RegistryTransport({
    ...deps,
    credentialsFor: () => {
      asked = true;
      return Promise.resolve({ username: login.username, password: login.password, serveraddress: serverAddressFor(host), source: 'the login being saved' });
    },
  });
  let response: Response;
  try {
    response = await transport.request(host, undefined, '/v2/', { what: 'its API root', signal });
  } catch (error) {
    if (error instanceof BenchtopError && error.code === 'REGISTRY_AUTH_FAILED') {
      throw new BenchtopError('REGISTRY_AUTH_FAILED', `${host} refused the login of ${login.username}.`,
        'Check the user name and the password or token (some registries want an access token, not the account password), then save again.');
    }
    throw error;
  }
  await response.body?.cancel();
  if (!response.ok) {
    throw new BenchtopError('REGISTRY_ERROR', `${host} answered HTTP ${response.status} at /v2/; it may not be an image registry.`,
      'Check the registry address: the host (and port) that image names start with, e.g. registry.example.com.');
  }
  return { state: asked ? 'checked' : 'anonymous', host };
}
