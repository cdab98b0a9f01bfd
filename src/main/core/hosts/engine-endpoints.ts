import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contextEndpoint, endpointFromHost, type ResolvedEndpoint } from '../engine/endpoint';
import { BenchtopError } from '../errors';
import type { HostConfig } from '../settings/schema';
import { isTlsEngine } from './spec';

/** A named Docker context's endpoint, read the way the docker CLI reads it (meta.json + tls/). */
export function contextEngine(name: string, home: string, env: NodeJS.ProcessEnv): ResolvedEndpoint {
  const resolved = contextEndpoint({
    env: { ...env, DOCKER_CONTEXT: name },
    home,
    platform: process.platform,
    exists: existsSync,
    readFile: (path) => readFileSync(path, 'utf8'),
  });
  if (!resolved) {
    throw new BenchtopError('DOCKER_CONTEXT_INVALID', `"${name}" is Docker's default context, which is this computer's engine.`, 'Use the `local` target for it.');
  }
  return resolved;
}

/** A `tcp://host:2376` engine with the client certificate from the host's certPath (ca/cert/key.pem). */
export function tcpEngine(host: HostConfig): ResolvedEndpoint {
  // Checked here too, not only when adding: a hosts list can also come from a team file.
  if (!isTlsEngine(host.spec, host.certPath) && !host.insecure) {
    throw new BenchtopError('HOST_INSECURE', `${host.id} (${host.spec}) is a Docker engine without TLS, and it was not accepted as insecure.`,
      `Add it again with --insecure if this network is yours alone, or give it TLS (--cert-path).`);
  }
  let tls: { ca?: string; cert?: string; key?: string } | undefined;
  if (host.certPath) {
    const read = (file: string) => {
      const path = join(host.certPath as string, file);
      try {
        return readFileSync(path, 'utf8');
      } catch (error) {
        throw new BenchtopError('HOST_INVALID', `Cannot read ${path} for ${host.id}: ${(error as Error).message}`,
          'Point the host at a folder holding ca.pem, cert.pem and key.pem (as `docker --tlsverify` uses).');
      }
    };
    tls = { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
  }
  return endpointFromHost(host.spec, `host:${host.id}`, tls);
}
