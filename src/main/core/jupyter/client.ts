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

/** One entry of `/api/terminals` (Notebook 6.1+ and Jupyter Server report `last_activity`). */
export interface JupyterTerminal {
  name: string;
  last_activity?: string;
}

/**
 * Every call Benchtop makes for itself carries this: without it Jupyter counts the call (even a
 * `GET /api/kernels`) as user activity and moves `/api/status`'s `last_activity` to now, so a
 * session polled by its own idle rule would never be idle.
 */
export const NO_TRACK_ACTIVITY = 'no_track_activity=1';

/**
 * The few Jupyter REST calls Benchtop itself needs, authenticated with the session's token in a
 * header (never in a URL that could end up in a log), none of them counted as activity.
 */
export class JupyterClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  status(timeoutMs = 2000): Promise<JupyterStatus> {
    return this.#get<JupyterStatus>('api/status', timeoutMs);
  }

  kernels(timeoutMs = 5000): Promise<JupyterKernel[]> {
    return this.#get<JupyterKernel[]>('api/kernels', timeoutMs);
  }

  /** Open terminals; [] where the server has terminals turned off (it answers 404 then). */
  async terminals(timeoutMs = 5000): Promise<JupyterTerminal[]> {
    try {
      return await this.#get<JupyterTerminal[]>('api/terminals', timeoutMs);
    } catch (error) {
      if (error instanceof JupyterHttpError && error.status === 404) return [];
      throw error;
    }
  }

  async #get<T>(path: string, timeoutMs: number): Promise<T> {
    // A ref'd timer, unlike AbortSignal.timeout's: a CLI waiting on a silent port must not exit early.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      // Relative to the base URL, so a server under a base path (`/user/ana/`) keeps its prefix.
      const response = await fetch(new URL(`${path}?${NO_TRACK_ACTIVITY}`, this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`), {
        headers: { Authorization: `token ${this.token}` },
        signal: controller.signal,
      });
      if (!response.ok) throw new JupyterHttpError(`/${path}`, response.status);
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
