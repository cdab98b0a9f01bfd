/** What `/api/status` answers (Jupyter Server and classic Notebook agree on these fields). */
export interface JupyterStatus {
  started?: string;
  last_activity?: string;
  connections?: number;
  kernels?: number;
}

/** One entry of `/api/kernels`. */
export interface JupyterKernel {
  id: string;
  name: string;
  execution_state?: string;
  last_activity?: string;
  connections?: number;
}

/**
 * The few Jupyter REST calls Benchtop itself needs, authenticated with the session's token in a
 * header (never in a URL that could end up in a log).
 */
export class JupyterClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  status(timeoutMs = 2000): Promise<JupyterStatus> {
    return this.#get<JupyterStatus>('/api/status', timeoutMs);
  }

  kernels(timeoutMs = 5000): Promise<JupyterKernel[]> {
    return this.#get<JupyterKernel[]>('/api/kernels', timeoutMs);
  }

  async #get<T>(path: string, timeoutMs: number): Promise<T> {
    // A ref'd timer, unlike AbortSignal.timeout's: a CLI waiting on a silent port must not exit early.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetch(new URL(path, this.baseUrl), {
        headers: { Authorization: `token ${this.token}` },
        signal: controller.signal,
      });
      if (!response.ok) throw new JupyterHttpError(path, response.status);
      return (await response.json()) as T;
    } finally {
      clearTimeout(timer);
    }
  }
}

export class JupyterHttpError extends Error {
  constructor(
    readonly path: string,
    readonly status: number,
  ) {
    super(`Jupyter answered ${status} to ${path}`);
  }
}
