/** Which Docker (or Podman) engine a target uses, and how Benchtop found it. */
export interface EngineEndpoint {
  kind: 'unix' | 'npipe' | 'tcp' | 'ssh';
  /** Socket path, `host:port`, or `user@host:port`. */
  address: string;
  /** Why this endpoint was chosen: `DOCKER_HOST`, `context:<name>`, `default socket`, `host:<id>`… */
  source: string;
  tls?: boolean;
}

export interface EngineInfo {
  target: string;
  endpoint: EngineEndpoint;
  engineKind: 'docker' | 'podman' | 'unknown';
  version: string;
  apiVersion: string;
  os: string;
  arch: string;
  kernelVersion: string;
  storageDriver: string;
  runtimes: string[];
  defaultRuntime: string;
  /** CDI device names the engine knows (e.g. `nvidia.com/gpu=0`), when it reports them. */
  cdiDevices: string[];
  dockerRootDir: string;
  cpus: number;
  memoryBytes: number;
}

export interface EngineInvoke {
  engineInfo: (req: { target?: string }) => EngineInfo;
}
