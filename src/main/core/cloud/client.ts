import type * as ComputeModule from '@google-cloud/compute';
import type { AuthClient } from 'google-auth-library';
import { BenchtopError } from '../errors';
import { adcFile, authFailed } from './credentials';

type Compute = typeof ComputeModule;

/** The Compute Engine clients Benchtop uses, all on one endpoint and one credential. */
export interface ComputeClients {
  instances: InstanceType<Compute['InstancesClient']>;
  zoneOperations: InstanceType<Compute['ZoneOperationsClient']>;
  acceleratorTypes: InstanceType<Compute['AcceleratorTypesClient']>;
  regions: InstanceType<Compute['RegionsClient']>;
  machineTypes: InstanceType<Compute['MachineTypesClient']>;
  /** Request headers of the same credential (Authorization, and x-goog-user-project when the ADC file names a quota project), for the Cloud Billing Catalog API. */
  requestHeaders(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** Where the API is: Google's own endpoint unless BENCHTOP_GCE_ENDPOINT (a private endpoint, or the tests' server) says otherwise. */
export interface ComputeEndpoint {
  apiEndpoint: string;
  port?: number;
  protocol?: 'http' | 'https';
}

export function endpointFrom(env: NodeJS.ProcessEnv): ComputeEndpoint | undefined {
  const raw = env.BENCHTOP_GCE_ENDPOINT;
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BenchtopError('INVALID_ARGUMENT', `BENCHTOP_GCE_ENDPOINT is not a URL: ${raw}.`, 'Set it to http(s)://host[:port], or unset it to use compute.googleapis.com.');
  }
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { apiEndpoint: url.hostname, port: url.port ? Number(url.port) : undefined, protocol };
}

const SCOPES = ['https://www.googleapis.com/auth/cloud-platform'];

/**
 * Builds the clients with Application Default Credentials. The token is fetched here, once, so a
 * missing or refused login is CLOUD_AUTH_MISSING / CLOUD_AUTH_FAILED before any API call. The
 * compute package is large (seconds to load): it is imported only when a cloud call is made.
 */
export async function openCompute(env: NodeJS.ProcessEnv, endpoint = endpointFrom(env)): Promise<ComputeClients> {
  const file = adcFile(env);
  const { GoogleAuth } = await import('google-auth-library');
  let authClient: AuthClient;
  try {
    authClient = (await new GoogleAuth({ keyFilename: file, scopes: SCOPES }).getClient()) as AuthClient;
    await authClient.getAccessToken();
  } catch (error) {
    throw authFailed(file, error);
  }
  const compute = await import('@google-cloud/compute');
  const options = { ...(endpoint ?? {}), authClient, fallback: true };
  const clients = {
    instances: new compute.InstancesClient(options),
    zoneOperations: new compute.ZoneOperationsClient(options),
    acceleratorTypes: new compute.AcceleratorTypesClient(options),
    regions: new compute.RegionsClient(options),
    machineTypes: new compute.MachineTypesClient(options),
  };
  return {
    ...clients,
    requestHeaders: async () => {
      try {
        const headers: Record<string, string> = {};
        (await authClient.getRequestHeaders()).forEach((value, key) => {
          headers[key] = value;
        });
        return headers;
      } catch (error) {
        throw authFailed(file, error);
      }
    },
    close: async () => {
      await Promise.all(Object.values(clients).map((c) => c.close()));
    },
  };
}
